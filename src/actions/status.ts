import { z } from 'zod';
import type { Action, ActionContext } from '../core/action.js';
import { isUserError } from '../core/errors.js';
import { describeReading, type Grade, type MetricsPort, readHealth } from '../core/health.js';
import type { Field, Message, Severity } from '../core/message.js';
import { redactText } from '../core/redact.js';
import { capTail, formatAge, table } from './code-block.js';
import { deadlineExceeded, rolloutWaitingFor } from './follow-rollout.js';
import type { DeploymentReader, DeploymentState, EventReader, PodReader } from './ports.js';
import { relatedEvents } from './events.js';
import { resolveTarget } from './target.js';

/** The status page incident linked to a service+env, if one is open (see src/actions/statuspage.ts). */
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
  service: z.string().min(1).optional().describe('the catalog service (default: every service in the environment)'),
});
export type StatusArgs = z.infer<typeof StatusArgs>;

function rolloutState(d: DeploymentState): string {
  if (d.paused) return 'paused';
  return deadlineExceeded(d) ?? rolloutWaitingFor(d) ?? 'complete';
}

function grade(d: DeploymentState, restarts: number): Severity {
  if (deadlineExceeded(d) || (d.desired > 0 && d.ready === 0)) return 'critical';
  if (rolloutWaitingFor(d) || d.ready < d.desired || restarts > 0) return 'warning';
  return 'success';
}

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
  const lines = recent.map((e) => redactText(`${formatAge(e.lastSeen)} ago  ${e.type}  ${e.reason}  ${e.object}: ${e.message}`));
  const capped = capTail(lines);
  return {
    title: `${target.service} in ${target.env}`,
    severity: worse(grade(d, restarts), health.worst),
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
    // The events block reads as the card's last section; its heading is the footer's job.
    code: lines.length > 0 ? capped.code : undefined,
    footer: [lines.length > 0 ? 'Above: the last events.' : 'No recent events.', capped.note].filter(Boolean).join(' '),
  };
}

const HEALTH_SEVERITY: Record<Grade, Severity> = { healthy: 'success', warning: 'warning', critical: 'critical' };
const SEVERITY_ORDER: Severity[] = ['success', 'info', 'warning', 'critical'];

function worse(a: Severity, grade: Grade | undefined): Severity {
  const b = grade ? HEALTH_SEVERITY[grade] : 'success';
  return SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a;
}

/** The catalog's indicators graded from Prometheus; a Prometheus outage is one line, never a failed status. */
async function healthFields(
  ctx: ActionContext<StatusPorts>,
  target: ReturnType<typeof resolveTarget>,
): Promise<{ fields: Field[]; worst?: Grade }> {
  const { indicators, dashboards } = target.spec;
  const links: Field[] = dashboards.length > 0 ? [{ label: 'Dashboards', value: dashboards.map((d) => `${d.name}: ${d.url}`).join('\n') }] : [];
  if (!ctx.ports.metrics || Object.keys(indicators).length === 0) return { fields: links };
  const vars = { namespace: target.ref.namespace, deployment: target.ref.deployment, service: target.service };
  let report: Awaited<ReturnType<typeof readHealth>>;
  try {
    report = await readHealth(ctx.ports.metrics, indicators, vars, { trendMinutes: 30 });
  } catch (error) {
    ctx.log.warn({ err: error }, 'status: reading metrics failed');
    report = { ok: false, reason: 'see the bot log' };
  }
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

async function overview(ctx: ActionContext<StatusPorts>): Promise<Message> {
  const rows: string[][] = [['SERVICE', 'READY', 'REVISION', 'IMAGE', 'ROLLOUT']];
  let worst: Severity = 'success';
  const order: Severity[] = ['success', 'info', 'warning', 'critical'];
  const services = Object.entries(ctx.catalog.services).filter(([, s]) => ctx.env in s.envs);
  const states = await Promise.all(
    services.map(async ([name]) => {
      try {
        return { name, d: await ctx.ports.kubernetes.readDeployment(resolveTarget(ctx, name).ref) };
      } catch (error) {
        // One unreadable deployment should not blank the whole overview.
        if (!isUserError(error)) ctx.log.warn({ err: error, service: name }, 'status: cannot read deployment');
        return { name, error: isUserError(error) ? error.message : 'cannot read the deployment (see the bot log)' };
      }
    }),
  );
  for (const s of states) {
    if ('error' in s) {
      rows.push([s.name, '-', '-', '-', String(s.error)]);
      worst = 'critical';
      continue;
    }
    const d = s.d as DeploymentState;
    const g = grade(d, 0);
    if (order.indexOf(g) > order.indexOf(worst)) worst = g;
    rows.push([s.name, `${d.ready}/${d.desired}`, String(d.revision ?? '?'), d.containers.map((c) => c.image).join(','), rolloutState(d)]);
  }
  return {
    title: `Services in ${ctx.env}`,
    severity: worst,
    text: services.length === 0 ? `No catalog service runs in ${ctx.env}.` : undefined,
    code: capTail(table(rows)).code,
  };
}

export const status: Action<StatusArgs, StatusPorts> = {
  name: 'status',
  summary: 'Replicas, revision, image, rollout state, restarts and recent events of a service (or all of them)',
  params: {
    positional: [{ name: 'service', kind: 'service', description: 'the service (default: all)', optional: true }],
    flags: {},
  },
  args: StatusArgs,
  risk: 'read',
  examples: ['status', 'status maestro-orchestrator', 'status notification-agent --env dev'],
  async execute(ctx, args) {
    return args.service ? one(ctx, args.service) : overview(ctx);
  },
};
