import type { ActionResult, AnyAction, Plan } from '../core/action.js';
import type { NewEvidence } from '../core/evidence-record.js';
import { redactText } from '../core/redact.js';
import type { QueuedJobData } from '../jobs/job-data.js';

/** A failure reason is kept to what a table cell and a chat line hold. */
const REASON_LIMIT = 500;

/**
 * The evidence record of a job whose verb declares one (Action.evidence: rollback):
 * the verb's part from its plan and the facts it returned (absent when it never
 * returned: it threw, or its workers died), with who, why, which job and, for a job
 * that failed, the reason. Undefined for verbs that keep no evidence.
 */
export function jobEvidence(verb: AnyAction | undefined, data: QueuedJobData, result: ActionResult | undefined, failure?: string): NewEvidence | undefined {
  if (!verb?.evidence) return undefined;
  const part = verb.evidence(data.plan as Plan, result?.facts);
  return {
    service: data.plan.target.service,
    env: data.env,
    ...part,
    actor: data.actor.name,
    ...(data.reason ? { reason: data.reason } : {}),
    jobNumber: data.jobNumber,
    ...(failure === undefined ? {} : { failure: failureText(failure) }),
  };
}

function failureText(reason: string): string {
  const text = redactText(reason.trim()) || 'no reason recorded';
  return text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;
}
