import { clone } from './json.js';
import type { ResourceType } from './resources.js';
import { selectorString } from './selectors.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler, KEvent, KObject, Pod, ReplicaSet } from './types.js';

/** kubectl asks for `as=Table` so the server decides the columns, as it does for `kubectl get`. */
export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

type Column = { name: string; type: string; format?: string; priority?: number; cell: (o: KObject) => string | number };

const age: Column = { name: 'Age', type: 'string', cell: (o) => humanAge(o.metadata.creationTimestamp) };
const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };

const COLUMNS: Record<string, Column[]> = {
  Deployment: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${(o as Deployment).status?.readyReplicas ?? 0}/${(o as Deployment).spec.replicas}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => (o as Deployment).status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => (o as Deployment).status?.availableReplicas ?? 0 },
    age,
    { name: 'Containers', type: 'string', priority: 1, cell: (o) => (o as Deployment).spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'Images', type: 'string', priority: 1, cell: (o) => (o as Deployment).spec.template.spec.containers.map((c) => c.image).join(',') },
    { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorString((o as Deployment).spec.selector) },
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => (o as ReplicaSet).spec.replicas },
    { name: 'Current', type: 'integer', cell: (o) => (o as ReplicaSet).status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => (o as ReplicaSet).status?.readyReplicas ?? 0 },
    age,
    { name: 'Containers', type: 'string', priority: 1, cell: (o) => (o as ReplicaSet).spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'Images', type: 'string', priority: 1, cell: (o) => (o as ReplicaSet).spec.template.spec.containers.map((c) => c.image).join(',') },
  ],
  Pod: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => podReady(o as Pod) },
    { name: 'Status', type: 'string', cell: (o) => podStatus(o as Pod) },
    { name: 'Restarts', type: 'string', cell: (o) => podRestarts(o as Pod) },
    age,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => (o as Pod).status.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => (o as Pod).spec.nodeName ?? '<none>' },
  ],
  HorizontalPodAutoscaler: [
    name,
    { name: 'Reference', type: 'string', cell: (o) => `${(o as HorizontalPodAutoscaler).spec.scaleTargetRef.kind}/${(o as HorizontalPodAutoscaler).spec.scaleTargetRef.name}` },
    { name: 'Targets', type: 'string', cell: (o) => hpaTargets(o as HorizontalPodAutoscaler) },
    { name: 'MinPods', type: 'integer', cell: (o) => (o as HorizontalPodAutoscaler).spec.minReplicas ?? 1 },
    { name: 'MaxPods', type: 'integer', cell: (o) => (o as HorizontalPodAutoscaler).spec.maxReplicas },
    { name: 'Replicas', type: 'integer', cell: (o) => (o as HorizontalPodAutoscaler).status?.currentReplicas ?? 0 },
    age,
  ],
  ConfigMap: [name, { name: 'Data', type: 'integer', cell: (o) => Object.keys((o as ConfigMap).data ?? {}).length }, age],
  Namespace: [name, { name: 'Status', type: 'string', cell: (o) => String((o.status as { phase?: string })?.phase ?? 'Active') }, age],
  Event: [
    { name: 'Last Seen', type: 'string', cell: (o) => humanAge((o as KEvent).lastTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => (o as KEvent).type },
    { name: 'Reason', type: 'string', cell: (o) => (o as KEvent).reason },
    { name: 'Object', type: 'string', cell: (o) => `${(o as KEvent).involvedObject.kind.toLowerCase()}/${(o as KEvent).involvedObject.name}` },
    { name: 'Message', type: 'string', cell: (o) => (o as KEvent).message },
  ],
};

export function toTable(r: ResourceType, items: KObject[], resourceVersion: string): unknown {
  const columns = COLUMNS[r.kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: '', priority: c.priority ?? 0 })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: clone(o.metadata) },
    })),
  };
}

function podReady(p: Pod): string {
  const statuses = p.status.containerStatuses ?? [];
  return `${statuses.filter((s) => s.ready).length}/${p.spec.containers.length}`;
}

/** "3 (2m ago)" once a container has terminated before, as the API server prints it. */
function podRestarts(p: Pod): string {
  const statuses = p.status.containerStatuses ?? [];
  const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
  const finished = statuses
    .map((c) => c.lastState.terminated?.finishedAt)
    .filter((t): t is string => typeof t === 'string')
    .sort()
    .at(-1);
  return restarts > 0 && finished ? `${restarts} (${humanAge(finished)} ago)` : String(restarts);
}

function hpaTargets(h: HorizontalPodAutoscaler): string {
  return (h.spec.metrics ?? [])
    .map((m) => {
      const current = h.status?.currentMetrics?.find((c) => c.resource.name === m.resource.name)?.resource.current.averageUtilization;
      return `${m.resource.name}: ${current === undefined ? '<unknown>' : `${current}%`}/${m.resource.target.averageUtilization ?? '?'}%`;
    })
    .join(', ') || '<none>';
}

function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  const waiting = p.status.containerStatuses?.find((s) => s.state.waiting)?.state.waiting?.reason;
  if (typeof waiting === 'string') return waiting;
  if (p.status.phase === 'Pending') return 'ContainerCreating';
  return p.status.phase;
}

/** kubectl's duration.HumanDuration, near enough: 45s, 3m12s, 5h, 2d4h, 40d. */
export function humanAge(timestamp: string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return `${d}d`;
}
