import type { Logger } from 'pino';
import type { Plan, Risk } from '../core/action.js';
import type { ChatPort } from '../core/chat-port.js';
import { NO_GROUPS, withLookupFailure } from '../core/group-lookup.js';
import { denialText, evaluatePolicy, type PolicyDecision, ruleChannelNames } from '../config/policy.js';
import type { Actor, CommandRequest, Conversation } from '../core/request.js';
import { auditRequest } from './audit.js';
import { announceBreakGlass } from './break-glass.js';
import type { CommandResult } from './command-result.js';
import type { PendingConfirmation } from './confirmations.js';
import { tellAsker } from './failure.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';
import { userErrorMessage } from '../core/error-replies.js';

/** What the policy is asked about: who wants which verb, on what, from where. */
export interface Authorisation {
  actor: Actor;
  verb: string;
  risk: Risk;
  service: string | undefined;
  /** For `--all <group>`: the group's services, each of which the rules weigh. */
  services?: readonly string[];
  env: string;
  conversation: Conversation;
  breakGlass?: boolean;
  /** The parsed arguments, for rules that match on them (`scale --all … 0`). */
  args?: unknown;
}

export type Denial = Extract<PolicyDecision, { kind: 'denied' }>;

/** The policy's decision, or undefined when this bot runs without one. */
export async function authorise(deps: CommandHandlerDeps, asked: Authorisation): Promise<PolicyDecision | undefined> {
  const policy = deps.policy;
  if (!policy) return undefined;
  const lookup = (await policy.groupsOf?.(asked.actor)) ?? NO_GROUPS;
  // The decision is pure; what it needs from the platform's directory is looked up first.
  const { platform } = asked.conversation;
  const channelIds = await policy.channelIdsOf?.(platform, ruleChannelNames(deps.catalog, asked.service, platform));
  const teamAliases = (await policy.teamAliasesOf?.(asked.conversation)) ?? [];
  const decision = evaluatePolicy(deps.catalog, {
    ...asked,
    groups: lookup.groups,
    breakGlass: asked.breakGlass ?? false,
    teamAliases,
    ...(channelIds ? { channelIds } : {}),
  });
  return decision.kind === 'denied' ? { ...decision, message: withLookupFailure(decision.message, lookup) } : decision;
}

/** A denied request: audited with the rule that denied it, and told to the asker alone. */
export async function deny(
  deps: CommandHandlerDeps,
  request: CommandRequest,
  about: { verb: string; service?: string; env: string; breakGlass?: boolean },
  decision: Denial,
  chat: ChatPort,
  detail: Record<string, unknown> = {},
): Promise<CommandResult> {
  const text = denialText(decision);
  deps.metrics.countCommand(about.verb, 'user_error');
  await auditRequest(deps.audit, request, {
    type: 'decision',
    decision: 'denied',
    action: about.verb,
    service: about.service,
    env: about.env,
    result: text,
    detail: { ...detail, rule: decision.rule, roles: decision.roles, ...(about.breakGlass ? { breakGlass: true } : {}) },
  });
  await tellAsker(request, chat, userErrorMessage(text));
  return { kind: 'failed', error: text };
}

/** Whoever presses Confirm must be allowed the change themselves: a button is no way around the policy. */
export async function refuseConfirmer(
  deps: CommandHandlerDeps,
  pending: PendingConfirmation,
  actor: Actor,
  requestId: string,
): Promise<CommandResult | undefined> {
  const risk = deps.registry.get(pending.verb)?.risk ?? 'high';
  // A group plan names the group as its target (group and service names never clash): weigh its services, as for the requester.
  const group = deps.catalog.groups[pending.plan.target.service];
  const decision = await authorise(deps, {
    actor,
    verb: pending.verb,
    risk,
    service: pending.plan.target.service,
    ...(group ? { services: group } : {}),
    env: pending.env,
    conversation: pending.conversation,
  });
  if (decision?.kind !== 'denied') return undefined;
  const text = denialText(decision);
  await auditRequest(
    deps.audit,
    { id: requestId, actor, conversation: pending.conversation, text: pending.text },
    {
      type: 'decision',
      decision: 'denied',
      action: pending.verb,
      service: pending.plan.target.service,
      env: pending.env,
      result: text,
      detail: { rule: decision.rule, confirmId: pending.id },
    },
  );
  return { kind: 'failed', error: text };
}

/** Break-glass skips the approval, loudly: paged, announced, and flagged in the trail. */
export async function breakGlass(
  deps: CommandHandlerDeps,
  request: CommandRequest,
  use: { plan: Plan; env: string; reason: string; audit: { action: string; service: string; env: string; detail: Record<string, unknown> } },
  chat: ChatPort,
  log: Logger,
): Promise<void> {
  const announced = await announceBreakGlass(
    { actor: request.actor, conversation: request.conversation, plan: use.plan, env: use.env, reason: use.reason, requestId: request.id },
    { catalog: deps.catalog, chat, pager: deps.policy?.pager, log },
  );
  await auditRequest(deps.audit, request, {
    type: 'decision',
    decision: 'allowed',
    ...use.audit,
    detail: { ...use.audit.detail, breakGlass: true, reason: use.reason, paged: announced.paged, noticeIn: announced.channels },
  });
}
