import { z } from 'zod';
import type { ActionContext, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import { resolveTarget, type Target } from './target.js';

/** The `--all <group>` flag of the verbs that change a whole catalog group at once. */
export const allFlag = z
  .string()
  .min(1)
  .optional()
  .describe("every service of this catalog group (groups:), planned and confirmed as one change; instead of <service>")
  .register(argMeta, { kind: 'group', placeholder: 'group' });

/** A command names one service or one group: refine an args schema with it (the error says so before anything is read). */
export function oneServiceOrGroup() {
  return (args: { service?: string; all?: string }, ctx: z.RefinementCtx): void => {
    if (args.service !== undefined && args.all !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: `give either <service> or --all <group>, not both (--all ${args.all} already names its services)` });
    } else if (args.service === undefined && args.all === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: `give <service> or --all <group>` });
    }
  };
}

/** The services of a catalog group in the context's environment, in the catalog's order; a UserError names the groups there are. */
export function resolveGroup(ctx: ActionContext<unknown>, group: string): Target[] {
  const members = ctx.catalog.groups[group];
  if (!members) {
    const known = Object.keys(ctx.catalog.groups);
    throw new UserError(`unknown group '${group}' (groups: ${known.join(', ') || 'none in the catalog'})`, 'unknown_group');
  }
  return members.map((service) => resolveTarget(ctx, service));
}

/** What a group plan names as its target: the group, its namespaces and every deployment it changes. */
export function groupTarget(group: string, env: string, targets: readonly Target[]): Plan['target'] {
  const namespaces = [...new Set(targets.map((t) => t.ref.namespace))];
  return {
    service: group,
    env,
    namespace: namespaces.join(', '),
    resource: targets.map((t) => `deployment/${t.ref.deployment}`).join(', '),
  };
}

/** Progress of one deployment of a group, as progress of the whole: "2/3 notification-agent: 1 of 3 new replicas updated". */
export function memberProgress(progress: ProgressReporter, index: number, total: number, target: Target): ProgressReporter {
  return async (p) => progress({ done: index, total, label: `${index + 1}/${total} ${target.service}: ${p.label ?? ''}`.trimEnd() });
}
