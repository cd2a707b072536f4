import type { EventRecorder } from './events.js';
import { canonical, clone, rfc3339 } from './json.js';
import { DEPLOYMENTS, REPLICASETS } from './resources.js';
import type { Store } from './store.js';
import {
  controllerRef,
  HASH_LABEL,
  isControlledBy,
  REVISION,
  REVISION_HISTORY,
  revisionOf,
  templateHash,
  templateKey,
} from './templates.js';
import type { Condition, Deployment, DeploymentStatus, PodTemplate, ReplicaSet } from './types.js';

const COMPONENT = 'deployment-controller';
/** Deployment annotations the controller never copies onto a ReplicaSet (deployment/util). */
const NOT_COPIED = new Set([REVISION, REVISION_HISTORY, 'kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas']);

interface Progress {
  signature: string;
  at: number;
}

/**
 * The deployment controller: finds or creates the ReplicaSet for the current
 * template (with the next revision, bumping a reused one as the real controller
 * does), scales new and old ReplicaSets within maxSurge/maxUnavailable, and
 * writes the status and conditions that `kubectl rollout status` reads.
 */
export class DeploymentController {
  private readonly progress = new Map<string, Progress>();
  /** Deployments whose ReplicaSet was just created or found for a new template, for the next condition. */
  private readonly fresh = new Map<string, 'created' | 'found'>();

  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
    /** Milliseconds of wall time per second of cluster time (progressDeadlineSeconds scale). */
    private readonly msPerSecond: number,
  ) {}

  rollout(d: Deployment): void {
    const owned = this.owned(d);
    const key = templateKey(d.spec.template);
    let current = owned.find((rs) => templateKey(rs.spec.template) === key);
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    if (!current && d.spec.paused) return;
    if (!current) {
      current = this.createReplicaSet(d, maxRevision + 1);
      this.fresh.set(d.metadata.uid, 'created');
    } else if (revisionOf(current) < maxRevision) {
      current = this.adopt(d, current, maxRevision + 1);
      this.fresh.set(d.metadata.uid, 'found');
    }
    const revision = String(revisionOf(current));
    if (d.metadata.annotations?.[REVISION] !== revision) {
      d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: revision };
      Object.assign(d, this.store.update(DEPLOYMENTS, d));
    }
    if (d.spec.paused) return;
    const olds = owned.filter((rs) => rs.metadata.uid !== current.metadata.uid);
    if (d.spec.strategy.type === 'Recreate') this.recreate(d, current, olds);
    else this.rolling(d, current, olds);
    this.cleanup(d);
  }

  /** Writes status; call after the ReplicaSets' own status is current. */
  updateStatus(d: Deployment, now = Date.now()): void {
    const owned = this.owned(d);
    const key = templateKey(d.spec.template);
    const current = owned.find((rs) => templateKey(rs.spec.template) === key);
    const sum = (f: (rs: ReplicaSet) => number) => owned.reduce((n, rs) => n + f(rs), 0);
    const desired = d.spec.replicas;
    const updated = current?.status?.replicas ?? 0;
    const total = sum((rs) => rs.status?.replicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      ...(sum((rs) => rs.spec.replicas) - available > 0 ? { unavailableReplicas: sum((rs) => rs.spec.replicas) - available } : {}),
    };
    const { maxUnavailable } = this.bounds(d);
    const conditions = [...(d.status?.conditions ?? [])];
    setCondition(conditions, available >= desired - maxUnavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    if (current) setCondition(conditions, this.progressing(d, current, { updated, total, available, desired }, now));
    status.conditions = conditions;
    if (canonical(status) !== canonical(d.status ?? {})) this.store.update(DEPLOYMENTS, { ...d, status });
  }

  forget(uid: string): void {
    this.progress.delete(uid);
    this.fresh.delete(uid);
  }

  private progressing(d: Deployment, rs: ReplicaSet, n: { updated: number; total: number; available: number; desired: number }, now: number): Condition {
    const name = rs.metadata.name;
    const signature = `${name}|${n.updated}|${n.total}|${n.available}`;
    const seen = this.progress.get(d.metadata.uid);
    if (n.updated === n.desired && n.total === n.updated && n.available === n.updated) {
      this.progress.set(d.metadata.uid, { signature, at: now });
      return { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` };
    }
    const fresh = this.fresh.get(d.metadata.uid);
    if (fresh || !seen) {
      this.fresh.delete(d.metadata.uid);
      this.progress.set(d.metadata.uid, { signature, at: now });
      return fresh === 'created'
        ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${name}"` }
        : { type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${name}"` };
    }
    if (seen.signature !== signature) {
      this.progress.set(d.metadata.uid, { signature, at: now });
      return { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.` };
    }
    const previous = d.status?.conditions?.find((c) => c.type === 'Progressing');
    if (now - seen.at > d.spec.progressDeadlineSeconds * this.msPerSecond) {
      return { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` };
    }
    return previous ?? { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.` };
  }

  private owned(d: Deployment): ReplicaSet[] {
    return (this.store.list(REPLICASETS, d.metadata.namespace) as ReplicaSet[]).filter((rs) => isControlledBy(rs, d));
  }

  private createReplicaSet(d: Deployment, revision: number): ReplicaSet {
    const rs = replicaSetFor(d, d.spec.template, revision, 0, this.bounds(d).maxSurge);
    return this.store.create(REPLICASETS, rs) as ReplicaSet;
  }

  /** Rolling back to an old template: its ReplicaSet takes the next revision and remembers the old one. */
  private adopt(d: Deployment, rs: ReplicaSet, revision: number): ReplicaSet {
    const annotations: Record<string, string> = { ...rs.metadata.annotations, ...copiedAnnotations(d), [REVISION]: String(revision) };
    const history = [rs.metadata.annotations?.[REVISION_HISTORY], String(revisionOf(rs))].filter(Boolean).join(',');
    annotations[REVISION_HISTORY] = history;
    return this.store.update(REPLICASETS, { ...rs, metadata: { ...rs.metadata, annotations } }) as ReplicaSet;
  }

  private bounds(d: Deployment): { maxSurge: number; maxUnavailable: number } {
    const desired = d.spec.replicas;
    if (d.spec.strategy.type === 'Recreate') return { maxSurge: 0, maxUnavailable: desired };
    const ru = d.spec.strategy.rollingUpdate ?? {};
    const maxSurge = intOrPercent(ru.maxSurge ?? '25%', desired, true);
    let maxUnavailable = intOrPercent(ru.maxUnavailable ?? '25%', desired, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) };
  }

  private rolling(d: Deployment, current: ReplicaSet, olds: ReplicaSet[]): void {
    const desired = d.spec.replicas;
    const { maxSurge, maxUnavailable } = this.bounds(d);
    if (olds.every((rs) => rs.spec.replicas === 0)) {
      this.scale(d, current, desired);
      return;
    }
    const total = current.spec.replicas + olds.reduce((n, rs) => n + rs.spec.replicas, 0);
    if (current.spec.replicas < desired) {
      const up = Math.min(desired + maxSurge - total, desired - current.spec.replicas);
      if (up > 0) this.scale(d, current, current.spec.replicas + up);
    } else if (current.spec.replicas > desired) this.scale(d, current, desired);
    // reconcileOldReplicaSets: never drop below desired - maxUnavailable available pods.
    const minAvailable = desired - maxUnavailable;
    const newUnavailable = current.spec.replicas - (current.status?.availableReplicas ?? 0);
    const allPods = current.spec.replicas + olds.reduce((n, rs) => n + rs.spec.replicas, 0);
    let budget = allPods - minAvailable - newUnavailable;
    const oldest = [...olds].sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of oldest) {
      if (budget <= 0) break;
      const unhealthy = rs.spec.replicas - (rs.status?.availableReplicas ?? 0);
      const cut = Math.min(budget, Math.max(0, unhealthy));
      if (cut > 0) {
        this.scale(d, rs, rs.spec.replicas - cut);
        budget -= cut;
      }
    }
    const fresh = this.owned(d);
    let canDrop = fresh.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0) - minAvailable;
    for (const rs of fresh.filter((r) => r.metadata.uid !== current.metadata.uid).sort((a, b) => revisionOf(a) - revisionOf(b))) {
      if (canDrop <= 0 || budget <= 0) break;
      const cut = Math.min(rs.spec.replicas, canDrop, budget);
      if (cut > 0) {
        this.scale(d, rs, rs.spec.replicas - cut);
        canDrop -= cut;
        budget -= cut;
      }
    }
  }

  private recreate(d: Deployment, current: ReplicaSet, olds: ReplicaSet[]): void {
    const running = olds.filter((rs) => rs.spec.replicas > 0 || (rs.status?.replicas ?? 0) > 0);
    for (const rs of running) if (rs.spec.replicas > 0) this.scale(d, rs, 0);
    if (running.length === 0) this.scale(d, current, d.spec.replicas);
  }

  private scale(d: Deployment, rs: ReplicaSet, replicas: number): void {
    const from = rs.spec.replicas;
    if (from === replicas) return;
    const annotations = { ...rs.metadata.annotations, ...replicaAnnotations(d, this.bounds(d).maxSurge) };
    const next = this.store.update(REPLICASETS, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas } }) as ReplicaSet;
    Object.assign(rs, next);
    const verb = replicas > from ? 'up' : 'down';
    this.events.normal(d, 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${replicas}`, COMPONENT);
  }

  /** revisionHistoryLimit: drop the oldest idle ReplicaSets beyond it. */
  private cleanup(d: Deployment): void {
    const key = templateKey(d.spec.template);
    const idle = this.owned(d)
      .filter((rs) => templateKey(rs.spec.template) !== key && rs.spec.replicas === 0 && (rs.status?.replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - d.spec.revisionHistoryLimit))) {
      this.store.delete(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
    }
  }
}

/** The ReplicaSet a deployment owns for one template, named and labelled by the template's hash. */
export function replicaSetFor(d: Deployment, podTemplate: PodTemplate, revision: number, replicas: number, maxSurge = 1): ReplicaSet {
  const hash = templateHash(podTemplate);
  const template = clone(podTemplate);
  template.metadata.labels = { ...template.metadata.labels, [HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: template.metadata.labels,
      annotations: { ...copiedAnnotations(d), [REVISION]: String(revision), ...replicaAnnotations(d, maxSurge) },
      ownerReferences: [controllerRef(d)],
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash } },
      template,
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
    },
  } as ReplicaSet;
}

function copiedAnnotations(d: Deployment): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)));
}

function replicaAnnotations(d: Deployment, maxSurge: number): Record<string, string> {
  return {
    'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
    'deployment.kubernetes.io/max-replicas': String(d.spec.replicas + maxSurge),
  };
}

function intOrPercent(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number.parseInt(value, 10) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Replaces a condition, keeping lastTransitionTime while its status holds (deployment/util SetDeploymentCondition). */
function setCondition(conditions: Condition[], next: Condition): void {
  const at = conditions.findIndex((c) => c.type === next.type);
  const old = at >= 0 ? conditions[at] : undefined;
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) return;
  const now = rfc3339();
  const merged: Condition = {
    ...next,
    lastUpdateTime: now,
    lastTransitionTime: old && old.status === next.status ? (old.lastTransitionTime ?? now) : now,
  };
  if (at >= 0) conditions[at] = merged;
  else conditions.push(merged);
}
