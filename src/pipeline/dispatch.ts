import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import { isUserError } from '../core/errors.js';
import type { ParsedCommand } from '../core/grammar.js';
import type { Actor, CommandRequest } from '../core/request.js';
import { actionContext } from './action-context.js';
import { approvalMessage } from './approval-card.js';
import { auditRequest } from './audit.js';
import type { CommandResult } from './command-result.js';
import type { PendingConfirmation } from './confirmations.js';
import type { CommandHandlerDeps, JobRequest } from './pipeline-deps.js';
import { userErrorMessage } from '../core/error-replies.js';
import { planMessage } from './replies.js';

/** A read-only verb is answered in the request, within its budget; nothing is queued. */
export async function answerNow(deps: CommandHandlerDeps, request: CommandRequest, parsed: ParsedCommand, chat: ChatPort, log: Logger): Promise<CommandResult> {
  const { action, verb } = parsed;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timed out')), deps.readTimeoutMs ?? 20_000);
  try {
    const { message, output } = await action.execute(actionContext(deps, request, parsed, log, controller.signal), parsed.args, async () => {});
    // Help is for the asker; everything else is shared with the channel.
    if (verb === 'help') {
      await chat.ephemeral(request.conversation.id, request.actor.id, message, { threadId: request.threadId });
    } else if (output && chat.postLong) {
      await chat.postLong(request.conversation.id, message, output, { threadId: request.threadId, answer: true });
    } else {
      await chat.post(request.conversation.id, message, { threadId: request.threadId, answer: true });
    }
  } finally {
    clearTimeout(timer);
  }
  deps.metrics.countCommand(verb, 'ok');
  await auditRequest(deps.audit, request, { type: 'command', decision: 'allowed', action: verb, service: parsed.service, env: parsed.env });
  return { kind: 'answered' };
}

/**
 * Hands a confirmed (or approved) plan to the job queue, exactly once: the
 * confirmation or approval id is the idempotency key. When another change holds
 * the lock, the card, the thread and the trail say refused.
 */
export async function enqueue(
  deps: CommandHandlerDeps,
  pending: PendingConfirmation,
  chat: ChatPort,
  confirmer: Actor,
  requestId: string,
  approvedBy?: Actor,
): Promise<CommandResult> {
  // Only a protected environment asks anyone: elsewhere the card must not say someone confirmed.
  const confirmedBy = deps.catalog.environments[pending.env]?.protected ? confirmer.name : undefined;
  const card = (jobNumber?: number) =>
    approvedBy && 'rule' in pending
      ? approvalMessage(pending as PendingConfirmation & Parameters<typeof approvalMessage>[0], 'approved', { by: approvedBy.name, jobNumber })
      : planMessage(pending.plan, 'queued', { actorName: pending.actor.name, jobNumber, ...(confirmedBy ? { confirmedBy } : {}) });
  const ref = pending.ref ?? (await chat.post(pending.conversation.id, card(), { threadId: pending.threadId }));
  if (pending.ref && approvedBy) await chat.update(ref, card());
  const approval = approvedBy ? `approved by ${approvedBy.name}` : undefined;
  const data: JobRequest = {
    action: pending.verb,
    args: pending.args,
    plan: pending.plan,
    env: pending.env,
    reason: approval ? [pending.reason, approval].filter(Boolean).join('; ') : pending.reason,
    ...(approvedBy ? { approvedBy } : {}),
    actor: pending.actor,
    conversation: pending.conversation,
    threadId: pending.threadId,
    requestId: pending.requestId,
    messageRef: ref,
  };
  const subject = { id: requestId, actor: confirmer, conversation: pending.conversation, text: pending.text };
  const about = { action: pending.verb, service: pending.plan.target.service, env: pending.env };
  try {
    // The confirmation id is the idempotency key: a second delivery of the same click enqueues nothing.
    const job = await deps.jobs.submit(data, pending.id);
    if (pending.ref) await chat.update(ref, card(job.jobNumber));
    deps.metrics.countCommand(pending.verb, 'queued');
    await auditRequest(deps.audit, subject, {
      type: 'decision',
      decision: 'allowed',
      ...about,
      jobId: job.jobId,
      result: `queued as job ${job.jobNumber}`,
      ...(approvedBy ? { detail: { requester: pending.actor.name, approvedBy: approvedBy.name } } : {}),
    });
    return { kind: 'queued', ...job, ref };
  } catch (error) {
    if (!isUserError(error)) throw error;
    // Busy: another change holds the lock. The card and the audit trail say refused, and the thread why.
    await chat.update(ref, planMessage(pending.plan, 'refused', { actorName: pending.actor.name, refusal: error.message }));
    await chat.reply(ref, userErrorMessage(error.message));
    deps.metrics.countCommand(pending.verb, 'user_error');
    await auditRequest(deps.audit, subject, { type: 'decision', decision: 'refused', ...about, result: error.message });
    return { kind: 'failed', error: error.message, shown: true };
  }
}
