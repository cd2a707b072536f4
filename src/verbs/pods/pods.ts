import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import type { Field } from '../../core/message.js';
import { redactText } from '../../core/redact.js';
import { capTail, formatAge } from '../shared/code-block.js';
import type { EventReader, PodDetailReader, PodUsage, PodUsageReader } from '../shared/kubernetes-ports.js';
import { resolveTarget } from '../shared/target.js';
import { formatCpu, formatMemory, type PodRow, podRow } from './pod-rows.js';

export type PodsPorts = { kubernetes: PodDetailReader & PodUsageReader & EventReader };

export const PodsArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose pods to describe').register(argMeta, { positional: true, kind: 'service' }),
});
export type PodsArgs = z.infer<typeof PodsArgs>;

export const METRICS_UNAVAILABLE = 'metrics unavailable (metrics-server not installed?)';

/** Why there are no CPU/memory figures, from what metrics.k8s.io answered. */
function noMetrics(status: number, namespace: string): string {
  if (status === 403) return `metrics unavailable: the bot may not list pods.metrics.k8s.io in ${namespace} (grant it in manifests/k8s/base/rbac.yaml)`;
  if (status === 503) return 'metrics unavailable: metrics.k8s.io answered 503 (metrics-server registered but not running?)';
  return `${METRICS_UNAVAILABLE} (metrics.k8s.io answered ${status})`;
}

export interface PodsFacts {
  namespace: string;
  /** Whether metrics.k8s.io answered; `unavailable` carries the status it answered instead. */
  metrics: { available: true } | { available: false; status: number };
  pods: PodRow[];
}

/** Memory use past this share of the limit is the runbook's MaestroMemoryUsageHigh: an OOM kill is near. */
const MEMORY_WARNING = 0.85;

function amountsText(a: PodRow['requests']): string {
  const parts = [a.cpuMilli === undefined ? undefined : `cpu ${formatCpu(a.cpuMilli)}`, a.memoryBytes === undefined ? undefined : `memory ${formatMemory(a.memoryBytes)}`];
  return parts.filter(Boolean).join(', ') || 'none';
}

/** What stands out about one pod, in a line: the previous run's end, probe failures, memory near its limit. */
function notes(row: PodRow, now: number): string | undefined {
  const out: string[] = [];
  const last = row.lastTerminated;
  if (last) {
    const ago = last.finishedAt ? ` ${formatAge(new Date(last.finishedAt), now)} ago` : '';
    out.push(`last run of ${last.container} ended ${last.reason ?? 'terminated'} (exit code ${last.exitCode})${ago}`);
  }
  const probe = row.readinessFailures;
  if (probe) {
    const ago = probe.lastSeen ? `, last ${formatAge(new Date(probe.lastSeen), now)} ago` : '';
    out.push(`readiness probe failed ${probe.count}×${ago}: ${probe.message.replace(/^Readiness probe failed: /, '')}`);
  }
  if (row.usage && row.limits.memoryBytes && row.usage.memoryBytes / row.limits.memoryBytes > MEMORY_WARNING) {
    out.push(`memory at ${Math.round((row.usage.memoryBytes / row.limits.memoryBytes) * 100)}% of its limit`);
  }
  return out.length > 0 ? `${row.name}: ${out.join('; ')}` : undefined;
}

function needsAttention(row: PodRow): boolean {
  return !row.ready || row.restarts > 0 || row.readinessFailures !== undefined || row.status === 'Terminating';
}

export const pods: Action<PodsArgs, PodsPorts, unknown, PodsFacts> = {
  name: 'pods',
  summary: 'Describe a service’s pods: status, node, IP, restarts, last termination, requests/limits, probe failures, CPU/memory',
  args: PodsArgs,
  risk: 'read',
  examples: ['pods maestro-orchestrator', 'pods notification-agent --env dev'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const { namespace } = target.ref;
    const k8s = ctx.ports.kubernetes;
    const [details, usage, events] = await Promise.all([
      k8s.listPodDetails(namespace, target.envSpec.selector),
      k8s.podUsage(namespace, target.envSpec.selector),
      k8s.listEvents(namespace),
    ]);
    const byPod = new Map<string, PodUsage>(Array.isArray(usage) ? usage.map((u) => [u.pod, u]) : []);
    const rows = details.map((p) => podRow(p, events, byPod.get(p.name)));
    const metrics: PodsFacts['metrics'] = Array.isArray(usage) ? { available: true } : { available: false, status: usage.unavailable };
    const facts: PodsFacts = { namespace, metrics, pods: rows };
    const title = `Pods of ${target.service} in ${target.env} (${namespace})`;
    if (rows.length === 0) {
      return done({ title, severity: 'warning', text: `No pods match ${target.envSpec.selector} in ${namespace}.` }, facts);
    }
    const now = Date.now();
    const columns = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'CPU', 'MEMORY'];
    const cells = rows.map((r) =>
      [
        r.name,
        r.containersReady,
        r.status,
        String(r.restarts),
        formatAge(r.createdAt ? new Date(r.createdAt) : undefined, now),
        r.ip ?? '<none>',
        r.node ?? '<none>',
        formatCpu(r.usage?.cpuMilli),
        formatMemory(r.usage?.memoryBytes),
      ].map(redactText),
    );
    const remarks = rows.map((r) => notes(r, now)).filter((n): n is string => n !== undefined);
    const capped = capTail(remarks.map(redactText));
    const resources = [...new Set(rows.map((r) => `requests ${amountsText(r.requests)}; limits ${amountsText(r.limits)}`))];
    const ready = rows.filter((r) => r.ready).length;
    const fields: Field[] = [
      { label: 'Ready', value: `${ready}/${rows.length}` },
      { label: 'Requests / limits (per pod)', value: resources.join(' | ') },
      ...(Array.isArray(usage) ? [] : [{ label: 'CPU / memory', value: noMetrics(usage.unavailable, namespace) }]),
    ];
    return done(
      {
        title,
        severity: rows.some(needsAttention) ? 'warning' : 'info',
        text: `${rows.length} pod${rows.length === 1 ? '' : 's'}, ${ready} ready.`,
        fields,
        table: { columns: columns.map((header) => ({ header, ...(['RESTARTS', 'CPU', 'MEMORY'].includes(header) ? { align: 'right' as const } : {}) })), rows: cells },
        ...(capped.code ? { code: capped.code } : {}),
        ...(capped.note ? { footer: capped.note } : {}),
      },
      facts,
    );
  },
};
