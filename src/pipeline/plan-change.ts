import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { ParsedCommand } from '../core/grammar.js';
import type { PolicyDecision } from '../core/policy.js';
import type { CommandRequest } from '../core/request.js';
import { actionContext } from './action-context.js';
import type { ApprovalDesk } from './approvals.js';
import { auditRequest } from './audit.js';
import { breakGlass } from './authorize.js';
import type { CommandResult } from './command-result.js';
import { confirmOrRun } from './confirm.js';
import type { PendingConfirmation } from './confirmations.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';
import { planMessage } from './replies.js';

/**
 * A changing verb, once allowed: its plan is shown (and stops there on --dry-run),
 * waits for a second person when the policy asks for approval, is announced when
 * break-glass skipped that, and otherwise goes on to confirmation and the queue.
 */
export async function planChange(
  deps: CommandHandlerDeps,
  desk: ApprovalDesk | undefined,
  request: CommandRequest,
  parsed: ParsedCommand,
  chat: ChatPort,
  log: Logger,
  decision?: PolicyDecision,
): Promise<CommandResult> {
  const { action, verb } = parsed;
  const planned = await action.plan!(actionContext(deps, request, parsed, log, new AbortController().signal), parsed.args);
  const { cluster } = deps;
  const plan = cluster && planned.target.namespace ? { ...planned, target: { ...planned.target, cluster } } : planned;
  const rule = decision ? { rule: decision.rule } : {};
  const base = { action: verb, service: plan.target.service, env: parsed.env, detail: { changes: plan.changes, ...rule } };

  if (parsed.dryRun) {
    await chat.post(request.conversation.id, planMessage(plan, 'dry-run'), { threadId: request.threadId });
    deps.metrics.countCommand(verb, 'dry_run');
    await auditRequest(deps.audit, request, { type: 'command', decision: 'dry_run', ...base });
    return { kind: 'answered' };
  }

  const stored: Omit<PendingConfirmation, 'id' | 'createdAt'> = {
    requestId: request.id,
    text: request.text,
    verb,
    args: parsed.args,
    env: parsed.env,
    reason: parsed.reason,
    plan,
    actor: request.actor,
    conversation: request.conversation,
    threadId: request.threadId,
  };

  if (decision?.kind === 'needs_approval' && desk && deps.policy) {
    const now = (deps.policy.now ?? Date.now)();
    const id = deps.policy.approvals.newId();
    const { ref } = await desk.open(
      { ...stored, id, rule: decision.rule, approvers: decision.approvers, createdAt: new Date(now).toISOString(), expiresAt: now + decision.ttlMs },
      chat,
    );
    deps.metrics.countCommand(verb, 'needs_confirmation');
    await auditRequest(deps.audit, request, {
      type: 'decision',
      decision: 'pending_approval',
      ...base,
      detail: { ...base.detail, approvers: decision.approvers, approvalId: id },
    });
    return { kind: 'awaiting_approval', approvalId: id, ref };
  }

  const skipped = decision?.kind === 'allowed' && decision.breakGlass;
  if (skipped) {
    await breakGlass(deps, request, { plan, env: parsed.env, reason: parsed.reason ?? '', audit: base }, chat, log);
  } else {
    await auditRequest(deps.audit, request, { type: 'command', decision: 'allowed', ...base });
  }
  return confirmOrRun(
    deps,
    request,
    parsed,
    {
      ...stored,
      id: deps.confirmations.newId(),
      // The change cause carries the flag, so `history` shows the bypass too.
      reason: skipped ? `break-glass: ${parsed.reason}` : parsed.reason,
      createdAt: new Date().toISOString(),
    },
    chat,
  );
}
