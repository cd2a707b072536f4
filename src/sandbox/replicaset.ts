import { createHash, randomBytes } from 'node:crypto';
import type { EventRecorder } from './events.js';
import type { Terminations } from './pod-deletion.js';
import type { PodFaults } from './pod-faults.js';
import { canonical, clone, rfc3339 } from './json.js';
import { PODS, REPLICASETS } from './resources.js';
import type { Store } from './store.js';
import { controllerRef, isControlledBy, randomSuffix } from './templates.js';
import type { Condition, ContainerStatus, Pod, ReplicaSet } from './types.js';

export const NODE = 'sandbox-node-1';

export interface PodWorld {
  isBadImage(image: string): boolean;
  /** Seeding: pods start Running and Ready at once instead of after a tick. */
  instant: boolean;
  /** Seeding backdates pods so they look long-running and have a log history. */
  bornAt?: Date;
}

/**
 * The ReplicaSet controller and a one-node kubelet: keeps each ReplicaSet's pod
 * count at spec.replicas and moves pods Pending → Running, Ready unless their
 * image is marked bad, in which case they crash-loop.
 */
export class ReplicaSetController {
  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly terminations: Terminations,
    private readonly faults: PodFaults,
  ) {}

  advancePods(world: PodWorld): void {
    for (const pod of this.store.list(PODS) as Pod[]) {
      if (pod.metadata.deletionTimestamp) {
        this.terminate(pod);
        continue;
      }
      const bad = pod.spec.containers.some((c) => world.isBadImage(c.image));
      const unready = !bad && pod.status.phase !== 'Pending' && this.faults.isUnready(pod);
      const next = clone(pod);
      next.status = runningStatus(pod, bad, unready);
      if (unready) this.faults.probeFailed(pod);
      if (bad) {
        for (const c of pod.spec.containers) {
          this.events.warning(pod, 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, 'kubelet');
        }
      } else if (pod.status.phase === 'Pending') {
        for (const c of pod.spec.containers) this.started(pod, c.name, c.image);
      }
      this.store.update(PODS, next);
    }
  }

  reconcile(world: PodWorld): void {
    for (const rs of this.store.list(REPLICASETS) as ReplicaSet[]) {
      const pods = this.podsOf(rs);
      const want = rs.spec.replicas;
      for (let i = pods.length; i < want; i++) this.createPod(rs, world);
      if (pods.length > want) {
        const doomed = [...pods].sort(deletionOrder).slice(0, pods.length - want);
        for (const pod of doomed) {
          this.store.delete(PODS, pod.metadata.namespace, pod.metadata.name);
          this.events.normal(rs, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, 'replicaset-controller');
        }
      }
    }
  }

  updateStatuses(): void {
    for (const rs of this.store.list(REPLICASETS) as ReplicaSet[]) {
      const pods = this.podsOf(rs);
      const ready = pods.filter(isReady).length;
      const status = {
        replicas: pods.length,
        fullyLabeledReplicas: pods.length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: rs.metadata.generation,
      };
      if (canonical(status) !== canonical(rs.status)) this.store.update(REPLICASETS, { ...rs, status });
    }
  }

  /** The ReplicaSet's active pods: a terminating one no longer counts, so its replacement is made at once. */
  podsOf(rs: ReplicaSet): Pod[] {
    return (this.store.list(PODS, rs.metadata.namespace) as Pod[]).filter((p) => isControlledBy(p, rs) && !p.metadata.deletionTimestamp);
  }

  /** The kubelet's side of a graceful deletion: stop the containers, then let the pod go once its grace period is over. */
  private terminate(pod: Pod): void {
    if (this.terminations.firstSight(pod.metadata.uid)) {
      for (const c of pod.spec.containers) this.events.normal(pod, 'Killing', `Stopping container ${c.name}`, 'kubelet');
    }
    if (!this.terminations.isDue(pod.metadata.uid)) return;
    this.terminations.forget(pod.metadata.uid);
    this.store.delete(PODS, pod.metadata.namespace, pod.metadata.name);
  }

  private createPod(rs: ReplicaSet, world: PodWorld): void {
    const now = world.bornAt ?? new Date();
    const template = clone(rs.spec.template);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${rs.metadata.name}-${randomSuffix()}`,
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        uid: '',
        resourceVersion: '',
        creationTimestamp: rfc3339(now),
        labels: template.metadata.labels,
        ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [controllerRef(rs)],
      },
      spec: { ...template.spec, nodeName: NODE, serviceAccountName: 'default', serviceAccount: 'default' },
      status: {
        phase: 'Pending',
        conditions: [cond('PodScheduled', true)],
        qosClass: qosClass(template.spec.containers),
        hostIP: '10.0.0.11',
        startTime: rfc3339(now),
      },
    } as Pod;
    const created = this.store.create(PODS, pod, now) as Pod;
    this.events.normal(rs, 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'replicaset-controller');
    this.events.normal(created, 'Scheduled', `Successfully assigned ${created.metadata.namespace}/${created.metadata.name} to ${NODE}`, 'default-scheduler');
    if (world.instant) {
      const bad = created.spec.containers.some((c) => world.isBadImage(c.image));
      for (const c of created.spec.containers) this.started(created, c.name, c.image);
      this.store.update(PODS, { ...created, status: runningStatus(created, bad) });
    }
  }

  private started(pod: Pod, container: string, image: string): void {
    this.events.normal(pod, 'Pulled', `Container image "${image}" already present on machine`, 'kubelet');
    this.events.normal(pod, 'Created', `Created container: ${container}`, 'kubelet');
    this.events.normal(pod, 'Started', `Started container ${container}`, 'kubelet');
  }
}

export function isReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Which pods a scale-down removes first: not ready, then the youngest (as the real controller ranks them). */
function deletionOrder(a: Pod, b: Pod): number {
  const ready = Number(isReady(a)) - Number(isReady(b));
  if (ready !== 0) return ready;
  return b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp);
}

function cond(type: string, ok: boolean, reason?: string, message?: string): Condition {
  return {
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: rfc3339(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

/** The pod's QoS class from its containers' requests and limits, as the API server computes it. */
function qosClass(containers: Pod['spec']['containers']): string {
  const all = containers.map((c) => (c.resources ?? {}) as Resources);
  if (all.every((r) => !r.requests && !r.limits)) return 'BestEffort';
  const guaranteed = all.every(
    (r) => ['cpu', 'memory'].every((k) => r.limits?.[k] !== undefined && (r.requests?.[k] ?? r.limits[k]) === r.limits[k]),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** `unready`: running, but its readiness probe fails (PodFaults). */
function runningStatus(pod: Pod, bad: boolean, unready = false): Pod['status'] {
  const previous = pod.status.containerStatuses ?? [];
  const startedAt = pod.status.startTime ?? rfc3339();
  const statuses = pod.spec.containers.map((c): ContainerStatus => {
    const before = previous.find((s) => s.name === c.name);
    const restarts = (before?.restartCount ?? 0) + (bad && before ? 1 : 0);
    return {
      name: c.name,
      image: c.image,
      imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
      containerID: before?.containerID ?? `containerd://${randomBytes(32).toString('hex')}`,
      ready: !bad && !unready,
      started: !bad,
      restartCount: restarts,
      state: bad
        ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } }
        : { running: { startedAt: (before?.state.running?.startedAt as string | undefined) ?? startedAt } },
      lastState: bad ? { terminated: { exitCode: 1, reason: 'Error', startedAt, finishedAt: rfc3339() } } : (before?.lastState ?? {}),
    };
  });
  const notReady = bad || unready ? `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]` : undefined;
  const ready = !bad && !unready;
  const keep = (type: string, fresh: Condition) => {
    const old = pod.status.conditions?.find((c) => c.type === type);
    return old && old.status === fresh.status ? old : fresh;
  };
  return {
    phase: 'Running',
    conditions: [
      keep('PodReadyToStartContainers', cond('PodReadyToStartContainers', true)),
      keep('Initialized', cond('Initialized', true)),
      keep('Ready', cond('Ready', ready, ready ? undefined : 'ContainersNotReady', notReady)),
      keep('ContainersReady', cond('ContainersReady', ready, ready ? undefined : 'ContainersNotReady', notReady)),
      keep('PodScheduled', cond('PodScheduled', true)),
    ],
    containerStatuses: statuses,
    hostIP: '10.0.0.11',
    podIP: pod.status.podIP ?? `10.244.${1 + (randomBytes(1)[0]! % 200)}.${2 + (randomBytes(1)[0]! % 250)}`,
    startTime: startedAt,
    qosClass: pod.status.qosClass ?? qosClass(pod.spec.containers),
  };
}
