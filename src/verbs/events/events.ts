import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { redactText } from '../../core/redact.js';
import { capTail, formatAge } from '../shared/code-block.js';
import type { EventInfo, EventReader } from '../shared/kubernetes-ports.js';
import { resolveTarget } from '../shared/target.js';

export type EventsPorts = { kubernetes: EventReader };

export const EventsArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose recent events to show').register(argMeta, { positional: true, kind: 'service' }),
});
export type EventsArgs = z.infer<typeof EventsArgs>;

/** Events about the deployment, its ReplicaSets and its pods (all named after it), oldest first. */
export function relatedEvents(events: readonly EventInfo[], deployment: string): EventInfo[] {
  return events
    .filter((e) => {
      const name = e.object.slice(e.object.indexOf('/') + 1);
      return name === deployment || name.startsWith(`${deployment}-`);
    })
    .sort((a, b) => (a.lastSeen?.getTime() ?? 0) - (b.lastSeen?.getTime() ?? 0));
}

export const events: Action<EventsArgs, EventsPorts> = {
  name: 'events',
  summary: 'Recent Kubernetes events of a service (deployment, ReplicaSets, pods)',
  args: EventsArgs,
  risk: 'read',
  examples: ['events maestro-orchestrator'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const found = relatedEvents(await ctx.ports.kubernetes.listEvents(target.ref.namespace), target.ref.deployment);
    const lines = found.map((e) =>
      redactText(`${formatAge(e.lastSeen)} ago  ${e.type}  ${e.reason}  ${e.object}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`),
    );
    const capped = capTail(lines);
    const warnings = found.filter((e) => e.type === 'Warning').length;
    return {
      title: `Events of ${target.service} in ${target.env}`,
      severity: warnings > 0 ? 'warning' : 'info',
      text: found.length === 0 ? 'No recent events.' : `${found.length} events, ${warnings} warnings.`,
      code: lines.length > 0 ? capped.code : undefined,
      footer: capped.note,
    };
  },
};
