import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { redactText } from '../../core/redact.js';
import { capRows, formatAge } from '../shared/code-block.js';
import type { Table } from '../../core/message.js';
import type { EventInfo, EventReader } from '../shared/kubernetes-ports.js';
import { resolveTarget } from '../shared/target.js';

export type EventsPorts = { kubernetes: EventReader };

export const EventsArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose recent events to show').register(argMeta, { positional: true, kind: 'service' }),
});
export type EventsArgs = z.infer<typeof EventsArgs>;

/** Events as a table, oldest first; when there are too many, the newest are kept and `cut` says how many were not. */
export function eventsTable(events: readonly EventInfo[]): { table: Table; cut: number } {
  const { rows, cut } = capRows(
    events.map((e) => [`${formatAge(e.lastSeen)} ago`, e.type, ...[e.reason, `${e.object}${e.count > 1 ? ` (x${e.count})` : ''}`, e.message].map(redactText)]),
    'last',
  );
  return {
    table: {
      columns: [{ header: 'AGE', align: 'right' }, { header: 'TYPE' }, { header: 'REASON' }, { header: 'OBJECT' }, { header: 'MESSAGE' }],
      rows,
      keep: 'last',
    },
    cut,
  };
}

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
    const { table, cut } = eventsTable(found);
    const warnings = found.filter((e) => e.type === 'Warning').length;
    return done({
      title: `Events of ${target.service} in ${target.env}`,
      severity: warnings > 0 ? 'warning' : 'info',
      text: found.length === 0 ? 'No recent events.' : `${found.length} events, ${warnings} warnings.`,
      ...(found.length > 0 ? { table } : {}),
      footer: cut > 0 ? `${cut} earlier event${cut === 1 ? '' : 's'} cut to fit the message; see them all with kubectl get events` : undefined,
    });
  },
};
