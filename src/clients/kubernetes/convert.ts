import type { CoreV1Event, V1Container, V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type {
  ContainerState,
  DeploymentState,
  EventInfo,
  PodInfo,
  PodTemplate,
  RevisionInfo,
} from './shapes.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** The SDK's model objects as the JSON the API server speaks (Dates become RFC 3339 strings). */
export function plainJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T;
}

export function revisionOf(annotations: Record<string, string> | undefined): number | undefined {
  const raw = annotations?.[REVISION_ANNOTATION];
  if (raw === undefined) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}

function container(c: V1Container): ContainerState {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) if (e.value !== undefined && !e.valueFrom) env[e.name] = e.value;
  return { name: c.name, image: c.image ?? '', env };
}

export function toDeployment(d: V1Deployment): DeploymentState {
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    generation: d.metadata?.generation ?? 0,
    observedGeneration: d.status?.observedGeneration ?? 0,
    paused: d.spec?.paused === true,
    desired: d.spec?.replicas ?? 1,
    replicas: d.status?.replicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    ready: d.status?.readyReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    revision: revisionOf(d.metadata?.annotations),
    annotations: { ...d.metadata?.annotations },
    ...(d.metadata?.resourceVersion ? { resourceVersion: d.metadata.resourceVersion } : {}),
    template: plainJson<PodTemplate>(d.spec?.template),
    containers: (d.spec?.template?.spec?.containers ?? []).map(container),
    conditions: (d.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
    })),
  };
}

export function toRevision(rs: V1ReplicaSet, revision: number): RevisionInfo {
  return {
    revision,
    replicaSet: rs.metadata?.name ?? '',
    images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION],
    annotations: { ...rs.metadata?.annotations },
    createdAt: rs.metadata?.creationTimestamp ? new Date(rs.metadata.creationTimestamp) : undefined,
    template: plainJson<PodTemplate>(rs.spec?.template),
    replicas: rs.status?.replicas ?? 0,
  };
}

export function toPod(p: V1Pod): PodInfo {
  const statuses = p.status?.containerStatuses ?? [];
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
  const readyCondition = p.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: readyCondition ? readyCondition.status === 'True' : statuses.length > 0 && statuses.every((s) => s.ready),
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    waitingReason: waiting,
    images: (p.spec?.containers ?? []).map((c) => c.image ?? ''),
    templateHash: p.metadata?.labels?.['pod-template-hash'],
    createdAt: p.metadata?.creationTimestamp ? new Date(p.metadata.creationTimestamp) : undefined,
  };
}

export function toEvent(e: CoreV1Event): EventInfo {
  const when = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return {
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    object: `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}`,
    count: e.count ?? 1,
    lastSeen: when ? new Date(when) : undefined,
  };
}
