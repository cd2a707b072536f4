import { z } from 'zod';
import type { Action, ActionContext } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { describeReading, type Grade, type MetricsPort } from '../../core/health.js';
import type { Field, Message } from '../../core/message.js';
import { eventsTable, relatedEvents } from '../events/events.js';
import type { DeploymentReader, EventReader, PodReader } from '../shared/kubernetes-ports.js';
import { gradeSeverity, readIndicators, rolloutGrade, rolloutState, worseSeverity } from './service-grade.js';
import { statusOverview } from './status-overview.js';
import { resolveTarget, type Target } from '../shared/target.js';

/** The status page incident linked to a service+env, if one is open (see src/verbs/statuspage/statuspage.ts). */
export interface StatuspageLinkReader {
  current(service: string, env: string): Promise<{ id: string; status?: string; url?: string } | undefined>;
}

/** Metrics and the status page are optional: without them status shows Kubernetes state only. */
export type StatusPorts = {
  kubernetes: DeploymentReader & PodReader & EventReader;
  metrics?: MetricsPort;
  statuspageLinks?: StatuspageLinkReader;
};

export const StatusArgs = z.object({
  service: z
    .string()
    .min(1)
    .optional()
    .describe('the catalog service (default: every service in the environment)')
    .register(argMeta, { positional: true, kind: 'service' }),
});
export type StatusArgs = z.infer<typeof StatusArgs>;

async function one(ctx: ActionContext<StatusPorts>, service: string): Promise<Message> {
  const target = resolveTarget(ctx, service);
  const k8s = ctx.ports.kubernetes;
  const [d, pods, events] = await Promise.all([
    k8s.readDeployment(target.ref),
    k8s.listPods(target.ref.namespace, target.envSpec.selector),
    k8s.listEvents(target.ref.namespace),
  ]);
  const [health, statuspage] = await Promise.all([healthFields(ctx, target), statuspageField(ctx, target.service, target.env)]);
  const restarts = pods.reduce((sum, p) => sum + p.restarts, 0);
  const troubled = pods.filter((p) => !p.ready || p.restarts > 0);
  const recent = relatedEvents(events, target.ref.deployment).slice(-5);
  const { table } = eventsTable(recent);
  return {
    title: `${target.service} in ${target.env}`,
    severity: worseSeverity(rolloutGrade(d, restarts), gradeSeverity(health.worst)),
    fields: [
      { label: 'Replicas', value: `${d.ready}/${d.desired} ready, ${d.updated} updated, ${d.available} available` },
      { label: 'Revision', value: String(d.revision ?? '?') },
      { label: 'Image', value: d.containers.map((c) => c.image).join(', ') },
      { label: 'Rollout', value: rolloutState(d) },
      {
        label: 'Pod restarts',
        value:
          troubled.length === 0
            ? `${restarts}`
            : `${restarts} (${troubled
                .slice(0, 5)
                .map((p) => `${p.name}: ${p.waitingReason ?? (p.ready ? 'ready' : p.phase)}, ${p.restarts}`)
                .join('; ')})`,
      },
      ...health.fields,
      ...statuspage,
    ],
    // The events table reads as the card's last section; its heading is the footer's job.
    ...(recent.length > 0 ? { table } : {}),
    footer: recent.length > 0 ? 'Above: the last events.' : 'No recent events.',
  };
}

/** The catalog's indicators graded from Prometheus; a Prometheus outage is one line, never a failed status. */
async function healthFields(ctx: ActionContext<StatusPorts>, target: Target): Promise<{ fields: Field[]; worst?: Grade }> {
  const { dashboards } = target.spec;
  const links: Field[] = dashboards.length > 0 ? [{ label: 'Dashboards', value: dashboards.map((d) => `${d.name}: ${d.url}`).join('\n') }] : [];
  const report = await readIndicators(ctx, target, 30);
  if (!report) return { fields: links };
  if (!report.ok) return { fields: [{ label: 'Health', value: `metrics unavailable (${report.reason})` }, ...links] };
  return {
    worst: report.worst,
    fields: [...report.readings.map((r) => ({ label: `${r.name} (${r.indicator.description})`, value: describeReading(r) })), ...links],
  };
}

async function statuspageField(ctx: ActionContext<StatusPorts>, service: string, env: string): Promise<Field[]> {
  const link = await ctx.ports.statuspageLinks?.current(service, env).catch((error: unknown) => {
    ctx.log.warn({ err: error }, 'status: cannot read the status page link');
    return undefined;
  });
  if (!link) return [];
  return [{ label: 'Status page', value: `incident ${link.id}${link.status ? ` (${link.status})` : ''}${link.url ? ` ${link.url}` : ''}` }];
}

export const status: Action<StatusArgs, StatusPorts> = {
  name: 'status',
  summary: 'Replicas, revision, image, rollout state, restarts and recent events of a service (or all of them)',
  args: StatusArgs,
  risk: 'read',
  examples: ['status', 'status maestro-orchestrator', 'status notification-agent --env dev'],
  async execute(ctx, args) {
    return done(args.service ? await one(ctx, args.service) : await statusOverview(ctx));
  },
};
