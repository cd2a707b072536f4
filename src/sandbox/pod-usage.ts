import { createHash } from 'node:crypto';
import { rfc3339 } from './json.js';
import type { Pod } from './types.js';

/**
 * What each simulated container uses, as metrics-server would report it: a steady share of
 * its requests with a small per-pod wobble, so `kubectl top` shows believable numbers and
 * the HorizontalPodAutoscaler (autoscaler.ts) sees a utilisation just under its target,
 * inside its tolerance: an autoscaled deployment neither grows nor shrinks on its own.
 */

/** Share of its CPU request a container uses; the seeded autoscalers target 60%. */
export const CPU_SHARE = 0.58;
const MEMORY_SHARE = 0.7;
/** Used when a container requests nothing (BestEffort pods still use something). */
const FALLBACK_CPU_MILLI = 50;
const FALLBACK_MEMORY = 64 * 1024 * 1024;

const UNITS: Record<string, number> = { '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** A Kubernetes quantity of the forms the sandbox seeds and accepts (250m, 1, 256Mi), as a number. */
export function quantityValue(text: unknown): number | undefined {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(n|u|m|k|M|G|Ki|Mi|Gi)?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? '']!;
}

export interface ContainerUsage {
  name: string;
  /** Nanocores, as metrics-server reports CPU. */
  cpuNano: number;
  memoryBytes: number;
  /** The container's CPU request in millicores, when it has one: what utilisation is a share of. */
  cpuRequestMilli?: number;
}

function wobble(key: string): number {
  const byte = createHash('sha256').update(key).digest()[0]!;
  return (byte / 255 - 0.5) * 0.04;
}

function requestOf(container: Pod['spec']['containers'][number], resource: 'cpu' | 'memory'): number | undefined {
  const requests = (container.resources as { requests?: Record<string, unknown> } | undefined)?.requests;
  return quantityValue(requests?.[resource]);
}

export function containerUsage(pod: Pod): ContainerUsage[] {
  return pod.spec.containers.map((c) => {
    const w = 1 + wobble(`${pod.metadata.name}/${c.name}`);
    const cpuRequest = requestOf(c, 'cpu');
    const memoryRequest = requestOf(c, 'memory');
    const cpuMilli = (cpuRequest === undefined ? FALLBACK_CPU_MILLI / 1000 : cpuRequest * CPU_SHARE) * 1000 * w;
    const memory = (memoryRequest === undefined ? FALLBACK_MEMORY : memoryRequest * MEMORY_SHARE) * w;
    return {
      name: c.name,
      // Nanocores with digits below the millicore, as metrics-server gives them: readers must round as kubectl does.
      cpuNano: Math.round(cpuMilli * 1e6) + 123_457,
      memoryBytes: Math.round(memory / 1024) * 1024 + 512 * 1024,
      ...(cpuRequest === undefined ? {} : { cpuRequestMilli: cpuRequest * 1000 }),
    };
  });
}

/** metrics-server reports running pods only, and not the ones already shutting down. */
export function hasMetrics(pod: Pod): boolean {
  return pod.status.phase === 'Running' && !pod.metadata.deletionTimestamp;
}

/** A metrics.k8s.io/v1beta1 PodMetrics object for one pod. */
export function podMetrics(pod: Pod, now = new Date()): Record<string, unknown> {
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: rfc3339(now),
      labels: { ...pod.metadata.labels },
    },
    timestamp: rfc3339(new Date(now.getTime() - 10_000)),
    window: '15s',
    containers: containerUsage(pod).map((u) => ({
      name: u.name,
      usage: { cpu: `${u.cpuNano}n`, memory: `${Math.round(u.memoryBytes / 1024)}Ki` },
    })),
  };
}
