import type { EventInfo, PodDetail, PodUsage, ResourceAmounts } from '../../clients/kubernetes/shapes.js';

/** The readiness probe's failures for one pod, from the kubelet's Unhealthy events. */
export interface ReadinessFailures {
  count: number;
  lastSeen?: string;
  message: string;
}

/** One pod as `pods` reports it: the facts a test or a later step reads, never the rendered text. */
export interface PodRow {
  name: string;
  phase: string;
  /** What `kubectl get pods` prints in STATUS: Terminating, a waiting reason, or the phase. */
  status: string;
  /** The pod's Ready condition: it receives traffic. */
  ready: boolean;
  /** Ready containers / containers, as kubectl's READY column. */
  containersReady: string;
  restarts: number;
  node?: string;
  ip?: string;
  createdAt?: string;
  /** The most recent earlier termination of any container: OOMKilled, Error, ... */
  lastTerminated?: { container: string; reason?: string; exitCode: number; finishedAt?: string };
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  readinessFailures?: ReadinessFailures;
  /** From metrics.k8s.io; absent when the API is not served or has no sample for the pod yet. */
  usage?: { cpuMilli: number; memoryBytes: number };
}

/** kubectl's STATUS column, near enough: a terminating pod, then the first waiting or terminated reason. */
export function podStatus(p: PodDetail): string {
  if (p.terminating) return 'Terminating';
  const reason = p.containers.find((c) => c.state !== 'running' && c.reason)?.reason;
  if (reason) return reason;
  if (p.phase === 'Pending') return 'ContainerCreating';
  return p.phase;
}

function sum(values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : present.reduce((a, b) => a + b, 0);
}

function amounts(list: ResourceAmounts[]): ResourceAmounts {
  const cpuMilli = sum(list.map((r) => r.cpuMilli));
  const memoryBytes = sum(list.map((r) => r.memoryBytes));
  return { ...(cpuMilli === undefined ? {} : { cpuMilli }), ...(memoryBytes === undefined ? {} : { memoryBytes }) };
}

/** Unhealthy events about this pod whose message is a readiness probe failure (the kubelet's wording). */
function readinessFailures(events: readonly EventInfo[], pod: string): ReadinessFailures | undefined {
  const failures = events.filter((e) => e.object === `Pod/${pod}` && e.reason === 'Unhealthy' && /^Readiness probe/i.test(e.message));
  if (failures.length === 0) return undefined;
  const latest = [...failures].sort((a, b) => (a.lastSeen?.getTime() ?? 0) - (b.lastSeen?.getTime() ?? 0)).at(-1)!;
  return {
    count: failures.reduce((n, e) => n + e.count, 0),
    ...(latest.lastSeen ? { lastSeen: latest.lastSeen.toISOString() } : {}),
    message: latest.message,
  };
}

export function podRow(p: PodDetail, events: readonly EventInfo[], usage?: PodUsage): PodRow {
  const last = p.containers
    .filter((c) => c.lastTerminated)
    .map((c) => ({ container: c.name, ...c.lastTerminated! }))
    .sort((a, b) => (a.finishedAt?.getTime() ?? 0) - (b.finishedAt?.getTime() ?? 0))
    .at(-1);
  const failures = readinessFailures(events, p.name);
  return {
    name: p.name,
    phase: p.phase,
    status: podStatus(p),
    ready: p.ready,
    containersReady: `${p.containers.filter((c) => c.ready).length}/${p.containers.length}`,
    restarts: p.containers.reduce((n, c) => n + c.restarts, 0),
    ...(p.node ? { node: p.node } : {}),
    ...(p.ip ? { ip: p.ip } : {}),
    ...(p.createdAt ? { createdAt: p.createdAt.toISOString() } : {}),
    ...(last
      ? {
          lastTerminated: {
            container: last.container,
            ...(last.reason ? { reason: last.reason } : {}),
            exitCode: last.exitCode,
            ...(last.finishedAt ? { finishedAt: last.finishedAt.toISOString() } : {}),
          },
        }
      : {}),
    requests: amounts(p.containers.map((c) => c.requests)),
    limits: amounts(p.containers.map((c) => c.limits)),
    ...(failures ? { readinessFailures: failures } : {}),
    ...(usage
      ? {
          usage: {
            cpuMilli: usage.containers.reduce((n, c) => n + c.cpuMilli, 0),
            memoryBytes: usage.containers.reduce((n, c) => n + c.memoryBytes, 0),
          },
        }
      : {}),
  };
}

/** How a stuck pod ranks for draining: not Ready first, then the most restarts, then the oldest. */
export function drainOrder(a: PodRow, b: PodRow): number {
  const ready = Number(a.ready) - Number(b.ready);
  if (ready !== 0) return ready;
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  return (a.createdAt ?? '').localeCompare(b.createdAt ?? '');
}

/** "Running, 1/1 ready, 0 restarts" — the pod in one phrase, for plans. */
export function podSummary(row: PodRow): string {
  const lastRun = row.lastTerminated ? `, last run ended ${row.lastTerminated.reason ?? 'terminated'} (exit ${row.lastTerminated.exitCode})` : '';
  return `${row.status}, ${row.ready ? 'Ready' : 'not Ready'}, ${row.restarts} restart${row.restarts === 1 ? '' : 's'}${lastRun}`;
}

/** kubectl top's units: CPU in millicores, memory in whole MiB rounded down. */
export function formatCpu(milli: number | undefined): string {
  return milli === undefined ? '-' : `${milli}m`;
}

export function formatMemory(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${Math.floor(bytes / 2 ** 20)}Mi`;
}
