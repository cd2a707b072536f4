import { durationMs } from '../core/duration.js';
import type { Catalog, Policy, PolicyRule } from './catalog-schema.js';
import type { Risk } from '../core/action.js';
import { holdsMembership } from '../platforms/catalog-fragments.js';
import type { MemberCandidate } from '../platforms/index.js';
import { isChannelPlatform } from '../platforms/index.js';
import type { ChannelIds } from '../core/directory-lookup.js';
import type { Actor, Conversation, Platform } from '../core/request.js';

/** Everything a decision depends on; nothing else is consulted, so the same input always decides the same. */
export interface PolicyInput {
  actor: Actor;
  /** Slack user-group ids the actor belongs to, when the adapter can tell. */
  groups?: readonly string[];
  verb: string;
  risk: Risk;
  service?: string;
  /** The services a command about a catalog group changes (`--all <group>`): a rule about any of them applies. */
  services?: readonly string[];
  env: string;
  conversation: Conversation;
  breakGlass?: boolean;
  /** The command's parsed arguments, which a rule's `match.args` compares. */
  args?: unknown;
  /**
   * On a platform with a channel directory (Teams, whose requests carry channel ids only):
   * the ids each channel name in the rules resolves to (`ruleChannelNames`). Given, channels
   * are compared by id alone; absent, an entry matches the conversation's id or its name.
   */
  channelIds?: ChannelIds;
  /** Other ids the conversation's team is known by (Teams: its AAD group id), for roles granted by team. */
  teamAliases?: readonly string[];
}

export type PolicyDecision =
  | { kind: 'allowed'; rule: string; roles: string[]; breakGlass: boolean }
  | { kind: 'denied'; rule: string; message: string; roles: string[] }
  | { kind: 'needs_approval'; rule: string; approvers: string[]; ttlMs: number; roles: string[] };

/** The rule name reported when a user who holds no role tries to change something. */
export const UNKNOWN_USERS_RULE = 'unknown-users-read-only';
/** The rule name reported when no rule allows a change. */
export const DEFAULT_RULE = 'default';
export const BREAK_GLASS_RULE = 'break-glass';

/**
 * The one place that decides who may do what, where. Pure: the catalog's policy and
 * the request in, a decision naming the rule that made it out. Every rule that
 * matches is checked; a denial by any of them wins over an approval requirement,
 * which wins over an allow. Changes no rule allows are refused, reads are allowed.
 */
export function evaluatePolicy(catalog: Catalog, input: PolicyInput): PolicyDecision {
  const policy = catalog.policy;
  const roles = rolesOf(policy, input.actor, input.groups ?? [], input.conversation, input.teamAliases);
  const changes = input.risk !== 'read';
  // The bot acting on its own holds no role: only rules naming the `system` platform bind or free it.
  const system = input.actor.platform === 'system';

  if (!system && roles.length === 0 && (changes || policy.unknownUsers === 'none')) {
    const may = policy.unknownUsers === 'none' ? 'may not use the bot' : 'may only run read-only commands';
    return deny(UNKNOWN_USERS_RULE, `${input.actor.name} holds no role, and users without one ${may}`, roles);
  }

  let approval: PolicyRule | undefined;
  let allowedBy: PolicyRule | undefined;
  for (const rule of policy.rules) {
    if (!matches(rule, input) || (system && !rule.match.platforms?.includes('system'))) continue;
    const why = rule.description ?? `'${rule.name}' does not allow it`;
    if (rule.roles && !rule.roles.some((r) => roles.includes(r))) return deny(rule.name, why, roles);
    if (rule.channels && !inChannels(rule.channels, catalog, input)) return deny(rule.name, why, roles);
    if (rule.effect === 'deny') return deny(rule.name, why, roles);
    if (rule.effect === 'break-glass') {
      if (!input.breakGlass) return deny(rule.name, `${why}; it needs --break-glass --reason "why"`, roles);
      continue;
    }
    if (rule.effect === 'approval') approval ??= rule;
    else allowedBy ??= rule;
  }

  if (input.breakGlass) {
    const allowed = policy.breakGlass.roles;
    if (!allowed.some((r) => roles.includes(r))) {
      const who = allowed.length ? `only ${allowed.join(', ')} may use --break-glass` : 'no role may use --break-glass';
      return deny(BREAK_GLASS_RULE, who, roles);
    }
  }
  if (approval && !input.breakGlass) {
    return { kind: 'needs_approval', rule: approval.name, approvers: approval.approvers ?? [], ttlMs: durationMs(policy.approval.ttl), roles };
  }
  if (approval) return { kind: 'allowed', rule: BREAK_GLASS_RULE, roles, breakGlass: true };
  if (allowedBy || !changes) return { kind: 'allowed', rule: allowedBy?.name ?? DEFAULT_RULE, roles, breakGlass: Boolean(input.breakGlass) };
  if (system) return deny(DEFAULT_RULE, `no rule allows ${input.actor.name} (platform system) to ${input.verb} in ${input.env}: add a rule matching platforms [system] to the catalog's policy`, roles);
  return deny(DEFAULT_RULE, `no rule allows ${input.verb} in ${input.env}`, roles);
}

/** The roles `actor` holds: by user id, Slack user group, Teams team or tenant, or console user name. */
export function rolesOf(policy: Policy, actor: Actor, groups: readonly string[], conversation?: Conversation, teamAliases: readonly string[] = []): string[] {
  // The place counts only on the actor's own platform: a Slack workspace id says nothing about a Teams user.
  const here = conversation?.platform === actor.platform ? conversation : undefined;
  const who: MemberCandidate = {
    id: actor.id,
    groups,
    ...(here?.teamId !== undefined ? { teamId: here.teamId, teamAliases } : {}),
    ...(here?.tenantId !== undefined ? { tenantId: here.tenantId } : {}),
  };
  // How a member matches is the platform's own rule (src/platforms/<name>/platform.ts).
  return Object.entries(policy.roles)
    .filter(([, members]) => holdsMembership(actor.platform, members, who))
    .map(([role]) => role);
}

function matches(rule: PolicyRule, input: PolicyInput): boolean {
  const { verbs, services, envs, risks, platforms } = rule.match;
  if (verbs && !verbs.includes(input.verb)) return false;
  // A rule about particular services does not apply to a command about none.
  const about = input.service !== undefined ? [input.service] : (input.services ?? []);
  if (services && !about.some((s) => services.includes(s))) return false;
  if (envs && !envs.includes(input.env)) return false;
  if (risks && !risks.includes(input.risk)) return false;
  if (platforms && !platforms.includes(input.actor.platform)) return false;
  if (rule.match.args && !argsMatch(rule.match.args, input.args)) return false;
  return true;
}

function argsMatch(wanted: Readonly<Record<string, string | number | boolean>>, args: unknown): boolean {
  if (!args || typeof args !== 'object') return false;
  const given = args as Record<string, unknown>;
  return Object.entries(wanted).every(([key, value]) => (value === '*' ? given[key] !== undefined : given[key] === value));
}

/**
 * Whether the command came from one of the channels the rule names; `incident` is the
 * service's own. With a directory, an entry is the conversation's id or a name that
 * resolved to it — a name nobody's channel has matches nothing, and the conversation's
 * own name (which a request could claim) is never consulted.
 */
function inChannels(channels: readonly string[], catalog: Catalog, input: PolicyInput): boolean {
  const entries = expand(channels, catalog, input.service, input.conversation.platform);
  const { id, name } = input.conversation;
  const directory = input.channelIds;
  if (directory) return entries.some((entry) => entry === id || (directory.get(entry) ?? []).includes(id));
  const allowed = new Set(entries.map(normalise));
  return allowed.has(normalise(id)) || (name !== undefined && allowed.has(normalise(name)));
}

/** A rule's channel entries with `incident` replaced by the service's incident channels on `platform`. */
function expand(channels: readonly string[], catalog: Catalog, service: string | undefined, platform: Platform): string[] {
  return channels.flatMap((channel) => (channel === 'incident' ? [...incidentChannels(catalog, service, platform)] : [channel]));
}

/** Every channel entry the rules could compare a request from `platform` about `service` with: what a directory resolves. */
export function ruleChannelNames(catalog: Catalog, service: string | undefined, platform: Platform): string[] {
  return [...new Set(catalog.policy.rules.flatMap((rule) => expand(rule.channels ?? [], catalog, service, platform)))];
}

/** The service's incident channels on one platform, as the catalog lists them. */
export function incidentChannels(catalog: Catalog, service: string | undefined, platform: Platform): readonly string[] {
  if (!service || !isChannelPlatform(platform)) return [];
  return catalog.services[service]?.channels[platform] ?? [];
}

/** Slack sends channel names without the '#'; the catalog is written with it. */
function normalise(channel: string): string {
  return channel.replace(/^#/, '').toLowerCase();
}

function deny(rule: string, message: string, roles: string[]): PolicyDecision {
  return { kind: 'denied', rule, message, roles };
}

/** "denied by rule prod-rollback: only sre may roll back in prod" */
export function denialText(decision: Extract<PolicyDecision, { kind: 'denied' }>): string {
  return `denied by rule ${decision.rule}: ${decision.message}. Nothing was done.`;
}
