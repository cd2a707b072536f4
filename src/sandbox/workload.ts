import { DEPLOYMENTS, PODS } from './resources.js';
import { selectorMatcher } from './selectors.js';
import type { Store } from './store.js';
import type { Deployment, Pod } from './types.js';

/** What the simulated service "feels like" right now: the input of its metrics and health endpoint. */
export interface WorkloadHealth {
  exists: boolean;
  desired: number;
  /** Ready pods, and how many of them run a faulty release. */
  ready: number;
  readyFaulty: number;
  available: number;
}

export interface ReleaseQuality {
  isFaultyRelease(image: string): boolean;
}

/** Reads a deployment's pods from the store and counts the ones serving traffic, and how badly. */
export function workloadHealth(store: Store, quality: ReleaseQuality, namespace: string, deployment: string): WorkloadHealth {
  const d = store.get(DEPLOYMENTS, namespace, deployment) as Deployment | undefined;
  if (!d) return { exists: false, desired: 0, ready: 0, readyFaulty: 0, available: 0 };
  const matches = selectorMatcher(d.spec.selector);
  const pods = (store.list(PODS, namespace) as Pod[]).filter((p) => matches(p.metadata.labels ?? {}));
  const ready = pods.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  return {
    exists: true,
    desired: d.spec.replicas,
    ready: ready.length,
    readyFaulty: ready.filter((p) => p.spec.containers.some((c) => quality.isFaultyRelease(c.image))).length,
    available: d.status?.availableReplicas ?? 0,
  };
}

/** The health endpoint's verdict: serving, and not serving a faulty release. */
export function isHealthy(w: WorkloadHealth): boolean {
  return w.exists && w.available > 0 && w.ready > 0 && w.readyFaulty === 0;
}
