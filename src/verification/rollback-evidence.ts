import { resultingRevisionOf } from '../verbs/rollback/rollback-result.js';
import type { Message } from '../core/message.js';
import { redactText } from '../core/redact.js';
import type { QueuedJobData } from '../jobs/job-data.js';
import type { NewEvidence } from './evidence-store.js';

/**
 * How a rollback job ended: its result message, or the reason it failed, with the
 * result when the action returned one (a rollout that did not complete).
 */
export type RollbackEnd = { result: Message } | { failure: string; result?: Message };

/** A failure reason is kept to what a table cell and a chat line hold. */
const REASON_LIMIT = 500;

function change(data: QueuedJobData, what: string): { from: string; to: string } | undefined {
  const c = data.plan.changes.find((x) => x.what === what);
  return c ? { from: c.from, to: c.to } : undefined;
}

/**
 * The evidence record of a rollback job: from and restored revision from its plan,
 * the resulting revision and image from what the action read back once the rollout
 * completed or failed (its result message), and the failure reason when it did not
 * end well.
 */
export function rollbackEvidence(data: QueuedJobData, end: RollbackEnd): NewEvidence {
  const planned = data.plan.data as { via?: unknown } | undefined;
  const via = planned?.via === 'github' ? 'github' : 'kubernetes';
  const revisionChange = change(data, 'revision');
  const imageChange = change(data, 'image') ?? change(data, 'image tag');
  const result = end.result;
  // A completed rollout's read-back is where the deployment ended, and so is a failed one's: it stays
  // where it got stuck. Not a cancelled one's: that rollout is still moving.
  const settled = result?.severity === 'success' || (result !== undefined && 'failure' in end);
  const resulting = settled && via === 'kubernetes' ? resultingRevisionOf(result) : undefined;
  const run = result?.fields?.find((f) => f.label === 'Run')?.value;
  const revision = revisionChange
    ? {
        from: revisionChange.from,
        restored: revisionChange.to,
        ...(resulting?.revision === undefined ? {} : { resulting: String(resulting.revision) }),
      }
    : undefined;
  const image = imageChange
    ? { from: imageChange.from, to: resulting && resulting.images.length > 0 ? resulting.images.join(', ') : imageChange.to }
    : undefined;
  return {
    service: data.plan.target.service,
    env: data.env,
    via,
    actor: data.actor.name,
    ...(data.reason ? { reason: data.reason } : {}),
    ...(revision ? { revision } : {}),
    ...(image ? { image } : {}),
    jobNumber: data.jobNumber,
    ...(run ? { runUrl: run } : {}),
    ...('failure' in end ? { failure: failureText(end.failure) } : {}),
  };
}

function failureText(reason: string): string {
  const text = redactText(reason.trim()) || 'no reason recorded';
  return text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;
}
