import type { V1Container, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { bytes, milliCores } from './quantity.js';
import type { ContainerDetail, PodDetail, PodUsage, ResourceAmounts } from './shapes.js';

function amounts(map: Record<string, string> | undefined): ResourceAmounts {
  const cpuMilli = milliCores(map?.cpu);
  const memoryBytes = bytes(map?.memory);
  return { ...(cpuMilli === undefined ? {} : { cpuMilli }), ...(memoryBytes === undefined ? {} : { memoryBytes }) };
}

function when(value: Date | string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

function container(spec: V1Container, status: V1ContainerStatus | undefined): ContainerDetail {
  const state = status?.state;
  const [name, reason] = state?.waiting
    ? ['waiting', state.waiting.reason]
    : state?.terminated
      ? ['terminated', state.terminated.reason]
      : state?.running
        ? ['running', undefined]
        : ['unknown', undefined];
  const last = status?.lastState?.terminated;
  return {
    name: spec.name,
    ready: status?.ready ?? false,
    restarts: status?.restartCount ?? 0,
    state: name,
    ...(reason ? { reason } : {}),
    ...(last
      ? { lastTerminated: { exitCode: last.exitCode, ...(last.reason ? { reason: last.reason } : {}), ...(last.finishedAt ? { finishedAt: when(last.finishedAt) } : {}) } }
      : {}),
    requests: amounts(spec.resources?.requests as Record<string, string> | undefined),
    limits: amounts(spec.resources?.limits as Record<string, string> | undefined),
  };
}

export function toPodDetail(p: V1Pod): PodDetail {
  const statuses = p.status?.containerStatuses ?? [];
  const readyCondition = p.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: p.metadata?.name ?? '',
    uid: p.metadata?.uid ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: readyCondition ? readyCondition.status === 'True' : statuses.length > 0 && statuses.every((s) => s.ready),
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    ...(p.status?.podIP ? { ip: p.status.podIP } : {}),
    ...(p.metadata?.creationTimestamp ? { createdAt: when(p.metadata.creationTimestamp) } : {}),
    terminating: p.metadata?.deletionTimestamp !== undefined && p.metadata.deletionTimestamp !== null,
    labels: { ...p.metadata?.labels },
    containers: (p.spec?.containers ?? []).map((c) => container(c, statuses.find((s) => s.name === c.name))),
  };
}

/** metrics.k8s.io/v1beta1 PodMetrics, which client-node has no model for: read as the JSON it is. */
interface PodMetricsJson {
  metadata?: { name?: string };
  containers?: { name?: string; usage?: { cpu?: string; memory?: string } }[];
}

export function toPodUsage(item: unknown): PodUsage {
  const m = (item ?? {}) as PodMetricsJson;
  return {
    pod: m.metadata?.name ?? '',
    containers: (m.containers ?? []).map((c) => ({
      name: c.name ?? '',
      cpuMilli: milliCores(c.usage?.cpu) ?? 0,
      memoryBytes: bytes(c.usage?.memory) ?? 0,
    })),
  };
}
