import { z } from 'zod';
import { nonWildcardIds, roleMembersShape } from '../platforms/catalog-fragments.js';
import { platformNames } from '../platforms/index.js';
import { name } from './dns-name.js';

/**
 * The catalog's policy: who holds which role on each platform, and the rules that
 * decide who may do what, where — with the cross-references zod alone cannot check.
 */

/** Who holds a role, per registered platform, in each platform's own terms (src/platforms/<name>/platform.ts). */
export const RoleMembersSchema = z.strictObject(roleMembersShape);

const policyDuration = z.string().regex(/^\d+[smh]$/, 'must be a duration like 30s, 10m or 2h');

export const PolicyRuleSchema = z.strictObject({
  name,
  /** Shown when the rule denies: "only sre may roll back in prod". */
  description: z.string().optional(),
  /** What the rule applies to; a missing list matches everything. */
  match: z
    .strictObject({
      verbs: z.array(z.string().min(1)).optional(),
      services: z.array(name).optional(),
      envs: z.array(name).optional(),
      risks: z.array(z.enum(['read', 'low', 'high'])).optional(),
      /** `system` is the bot itself (maestro-bot), making a change on its own: only rules naming it apply to it. */
      platforms: z.array(z.enum([...platformNames, 'system'])).optional(),
      /** The command's arguments, by schema key (`replicas: 0`); `"*"` matches any value given, a key left out matches anything. */
      args: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])).optional(),
    })
    .default({}),
  /** Only these roles may do what the rule matches; anyone else is denied by it. */
  roles: z.array(name).optional(),
  /** Only from these conversations (names or ids); `incident` stands for the service's own channels. */
  channels: z.array(z.string().min(1)).optional(),
  /** `break-glass`: refused unless the command carries --break-glass --reason (policy.breakGlass roles), which is then announced. */
  effect: z.enum(['allow', 'deny', 'approval', 'break-glass']).default('allow'),
  /** For `approval`: the roles a second person must hold to approve. */
  approvers: z.array(name).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const PolicySchema = z.strictObject({
  roles: z.record(name, RoleMembersSchema).default({}),
  /** Users who hold no role: `read-only` answers read verbs only; `none` refuses everything. */
  unknownUsers: z.enum(['read-only', 'none']).default('read-only'),
  approval: z.strictObject({ ttl: policyDuration.default('10m') }).default({ ttl: '10m' }),
  breakGlass: z.strictObject({ roles: z.array(name).default([]) }).default({ roles: [] }),
  rules: z.array(PolicyRuleSchema).default([]),
});
export type Policy = z.infer<typeof PolicySchema>;


/** Cross-references zod cannot see: rule roles, approvers and `*` members must make sense. */
export function checkPolicy(
  catalog: { policy: Policy; services: Record<string, unknown>; environments: Record<string, unknown> },
  ctx: z.RefinementCtx,
): void {
  const { policy } = catalog;
  const roles = Object.keys(policy.roles);
  const unknownRole = (role: string, path: (string | number)[]) => {
    if (!roles.includes(role)) ctx.addIssue({ code: 'custom', path: ['policy', ...path], message: `unknown role '${role}' (known: ${roles.join(', ') || 'none'})` });
  };
  for (const [roleName, members] of Object.entries(policy.roles)) {
    if (nonWildcardIds(members).includes('*')) ctx.addIssue({ code: 'custom', path: ['policy', 'roles', roleName], message: "'*' is allowed for console users only" });
  }
  for (const [i, role] of policy.breakGlass.roles.entries()) unknownRole(role, ['breakGlass', 'roles', i]);
  policy.rules.forEach((rule, index) => {
    for (const [i, role] of (rule.roles ?? []).entries()) unknownRole(role, ['rules', index, 'roles', i]);
    for (const [i, role] of (rule.approvers ?? []).entries()) unknownRole(role, ['rules', index, 'approvers', i]);
    if (rule.effect === 'approval' && !rule.approvers?.length) {
      ctx.addIssue({ code: 'custom', path: ['policy', 'rules', index, 'approvers'], message: 'required when the effect is approval' });
    }
    for (const service of rule.match.services ?? []) {
      if (!(service in catalog.services)) ctx.addIssue({ code: 'custom', path: ['policy', 'rules', index, 'match', 'services'], message: `unknown service '${service}'` });
    }
    for (const env of rule.match.envs ?? []) {
      if (!(env in catalog.environments)) ctx.addIssue({ code: 'custom', path: ['policy', 'rules', index, 'match', 'envs'], message: `unknown environment '${env}'` });
    }
  });
  const names = policy.rules.map((r) => r.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  for (const n of new Set(twice)) ctx.addIssue({ code: 'custom', path: ['policy', 'rules'], message: `rule '${n}' is defined twice` });
}
