import type { EventRecorder } from './events.js';
import { clone, rfc3339 } from './json.js';
import { PODS } from './resources.js';
import type { Store } from './store.js';
import type { Pod } from './types.js';

/**
 * Faults a drill or a test puts on single pods, beside the per-image ones the controller
 * knows: a readiness probe that keeps failing, and a container the kernel killed for
 * memory. What the kubelet would write for them (conditions, lastState, Unhealthy events)
 * is written here, so `kubectl describe` and the bot read the same thing.
 */
export class PodFaults {
  private readonly unready = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {}

  /** The pod's readiness probe fails (HTTP 503) until told otherwise; it keeps running. */
  failReadiness(namespace: string, pod: string, failing: boolean): void {
    this.store.mustGet(PODS, namespace, pod);
    if (failing) this.unready.add(`${namespace}/${pod}`);
    else this.unready.delete(`${namespace}/${pod}`);
  }

  isUnready(pod: Pod): boolean {
    return this.unready.has(`${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  /** What the kubelet reports each probe period for a failing readiness probe. */
  probeFailed(pod: Pod): void {
    this.events.warning(pod, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'kubelet');
  }

  /** The container was OOM-killed and restarted: lastState terminated (OOMKilled, 137), one more restart. */
  oomKill(namespace: string, name: string, container?: string): void {
    const pod = this.store.mustGet(PODS, namespace, name) as Pod;
    const next = clone(pod);
    const now = rfc3339();
    for (const s of next.status.containerStatuses ?? []) {
      if (container && s.name !== container) continue;
      const startedAt = (s.state.running?.startedAt as string | undefined) ?? pod.status.startTime ?? now;
      s.lastState = { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt, finishedAt: now, containerID: s.containerID ?? '' } };
      s.state = { running: { startedAt: now } };
      s.restartCount += 1;
      this.events.normal(pod, 'Pulled', `Container image "${s.image}" already present on machine`, 'kubelet');
      this.events.normal(pod, 'Started', `Started container ${s.name}`, 'kubelet');
    }
    this.store.update(PODS, next);
  }
}
