import type { ChatPort } from '../core/chat-port.js';
import type { ParsedCommand } from '../core/grammar.js';
import type { CommandRequest } from '../core/request.js';
import { auditRequest } from './audit.js';
import { authorise, deny } from './authorize.js';
import type { CommandResult } from './command-result.js';
import { tellAsker } from './failure.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';
import { userErrorMessage } from '../core/error-replies.js';

/** What a delegated command is about: the policy decides on its service and env, the audit record keeps `detail`. */
export interface DelegatedTarget {
  service?: string;
  env: string;
  detail: Record<string, unknown>;
}

export type DelegatedOutcome = { ok: true; result: string } | { ok: false; error: string };

/**
 * A verb the command handler parses, authorises and audits like any other, but
 * whose work lives outside the action pipeline: `ack` and `resolve` act on an
 * incident, which only the incidents module can find. It is registered with
 * CommandHandler.delegate() by the module that owns that state.
 */
export interface DelegatedVerb {
  /** Finds what the command names; throws a UserError when it names nothing that exists. */
  target(request: CommandRequest, args: unknown): Promise<DelegatedTarget>;
  /** Runs once the policy allowed it; says what happened, or why nothing did. */
  run(request: CommandRequest, target: DelegatedTarget, chat: ChatPort): Promise<DelegatedOutcome>;
}

/**
 * A delegated verb walks the same path as any command: the policy decides on the
 * service and env its target names, the trail records what happened, and a
 * refusal is told to the asker alone.
 */
export async function runDelegated(
  deps: CommandHandlerDeps,
  request: CommandRequest,
  parsed: ParsedCommand,
  delegated: DelegatedVerb,
  chat: ChatPort,
): Promise<CommandResult> {
  const { verb, action } = parsed;
  const target = await delegated.target(request, parsed.args);
  const about = { ...parsed, service: target.service, env: target.env };
  const decision = await authorise(deps, { actor: request.actor, verb, risk: action.risk, service: target.service, env: target.env, conversation: request.conversation });
  if (decision?.kind === 'denied') return deny(deps, request, about, decision, chat, target.detail);
  // Nothing waits for a second person here: a page cannot be held while someone is found.
  if (decision?.kind === 'needs_approval') {
    const refusal = { kind: 'denied' as const, rule: decision.rule, roles: decision.roles, message: `${verb} cannot wait for approval; act in PagerDuty` };
    return deny(deps, request, about, refusal, chat, target.detail);
  }
  const outcome = await delegated.run(request, target, chat);
  const rule = decision ? { rule: decision.rule } : {};
  deps.metrics.countCommand(verb, outcome.ok ? 'ok' : 'user_error');
  await auditRequest(deps.audit, request, {
    type: 'command',
    decision: 'allowed',
    action: verb,
    service: target.service,
    env: target.env,
    result: outcome.ok ? outcome.result : `error: ${outcome.error}`,
    detail: { ...target.detail, ...rule },
  });
  if (outcome.ok) return { kind: 'answered' };
  await tellAsker(request, chat, userErrorMessage(outcome.error));
  return { kind: 'failed', error: outcome.error };
}
