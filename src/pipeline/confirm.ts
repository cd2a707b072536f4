import type { ChatPort } from '../core/chat-port.js';
import type { ParsedCommand } from '../core/grammar.js';
import type { Actor, CommandRequest, Conversation } from '../core/request.js';
import { auditRequest } from './audit.js';
import { refuseConfirmer } from './authorize.js';
import type { CommandResult } from './command-result.js';
import type { PendingConfirmation } from './confirmations.js';
import { enqueue } from './dispatch.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';
import { planMessage } from './replies.js';

/**
 * A protected environment asks for a Confirm press (or the console's --yes) before
 * a change runs; elsewhere the plan is claimed at once and goes to the queue.
 * Either way it is stored first, so the job's idempotency key is the same id.
 */
export async function confirmOrRun(
  deps: CommandHandlerDeps,
  request: CommandRequest,
  parsed: ParsedCommand,
  pending: PendingConfirmation,
  chat: ChatPort,
): Promise<CommandResult> {
  // --yes is a console convenience; in chat the confirmation is a button someone presses. The bot's own
  // changes (platform system) have no one to press it: they were authorised by a rule naming `system`.
  const automatic = request.actor.platform === 'system';
  const confirmedUpfront = automatic || (parsed.yes && request.actor.platform === 'console');
  if (deps.catalog.environments[parsed.env]?.protected === true && !confirmedUpfront) {
    const ref = await chat.post(
      request.conversation.id,
      planMessage(pending.plan, 'needs-confirmation', { confirmId: pending.id, actorName: request.actor.name }),
      { threadId: request.threadId },
    );
    await deps.confirmations.save({ ...pending, ref });
    deps.metrics.countCommand(parsed.verb, 'needs_confirmation');
    return { kind: 'needs_confirmation', confirmId: pending.id, ref };
  }
  await deps.confirmations.save(pending);
  await deps.confirmations.claim(pending.id, `confirmed by ${request.actor.name} (${automatic ? 'automatic change' : 'no confirmation needed'})`);
  return enqueue(deps, pending, chat, request.actor, request.id);
}

/**
 * A Confirm button or console "y": runs the stored plan, exactly once. `from` is
 * where the press came from; a confirmation id replayed in another conversation
 * is refused and left untouched, and so is a press by someone the policy would
 * not allow the change.
 */
export async function confirm(
  deps: CommandHandlerDeps,
  confirmId: string,
  actor: Actor,
  chat: ChatPort,
  requestId: string,
  from?: Conversation,
): Promise<CommandResult> {
  const pending = from || deps.policy ? await deps.confirmations.get(confirmId) : undefined;
  if (pending && from && elsewhere(deps, pending, from)) return { kind: 'failed', error: ELSEWHERE };
  if (pending && deps.policy) {
    const forbidden = await refuseConfirmer(deps, pending, actor, requestId);
    if (forbidden) return forbidden;
  }
  const claim = await deps.confirmations.claim(confirmId, `confirmed by ${actor.name}`);
  if (claim.status !== 'claimed') {
    const text =
      claim.status === 'already'
        ? `This request was already handled (${claim.outcome}); nothing more was done.`
        : 'This request has expired or does not exist; run the command again.';
    return { kind: 'failed', error: text };
  }
  return enqueue(deps, claim.pending, chat, actor, requestId);
}

export async function cancel(deps: CommandHandlerDeps, confirmId: string, actor: Actor, chat: ChatPort, from?: Conversation): Promise<CommandResult> {
  const stored = from ? await deps.confirmations.get(confirmId) : undefined;
  if (stored && from && elsewhere(deps, stored, from)) return { kind: 'failed', error: ELSEWHERE };
  const claim = await deps.confirmations.claim(confirmId, `cancelled by ${actor.name}`);
  if (claim.status !== 'claimed') return { kind: 'failed', error: 'This request was already handled or has expired.' };
  const { pending } = claim;
  if (pending.ref) await chat.update(pending.ref, planMessage(pending.plan, 'cancelled', { actorName: actor.name }));
  await auditRequest(
    deps.audit,
    { id: pending.requestId, actor, conversation: pending.conversation, text: pending.text },
    { type: 'decision', decision: 'cancelled', action: pending.verb, service: pending.plan.target.service, env: pending.env },
  );
  return { kind: 'answered' };
}

const ELSEWHERE = 'This button belongs to another conversation; nothing was done.';

function elsewhere(deps: CommandHandlerDeps, pending: PendingConfirmation, from: Conversation): boolean {
  if (pending.conversation.platform === from.platform && pending.conversation.id === from.id) return false;
  deps.log.warn({ confirmId: pending.id, from: from.id, platform: from.platform }, 'confirmation replayed from another conversation');
  return true;
}
