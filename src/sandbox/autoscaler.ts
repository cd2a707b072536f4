import type { EventRecorder } from './events.js';
import { canonical, clone, rfc3339 } from './json.js';
import { containerUsage } from './pod-usage.js';
import { isReady } from './replicaset.js';
import { AUTOSCALERS, DEPLOYMENTS, PODS } from './resources.js';
import { selectorMatcher } from './selectors.js';
import type { Store } from './store.js';
import type { Condition, Deployment, HorizontalPodAutoscaler, Pod } from './types.js';

/** The HPA controller's default tolerance: no change while usage/target is within 10% of 1. */
const TOLERANCE = 0.1;

interface Reading {
  /** Average CPU utilisation of the ready pods, percent of their requests. */
  utilization?: number;
  averageMilli?: number;
}

/**
 * The horizontal pod autoscaler controller for CPU utilisation targets: each tick it reads
 * the target deployment's spec.replicas (as the real one reads the scale subresource),
 * proposes ceil(current × usage/target) outside the tolerance, clamps to min..max and
 * scales the deployment when that differs. Bounds apply at once; a deployment scaled
 * outside them by hand is brought back on the next tick, which is the override `scale`
 * warns about.
 */
export class AutoscalerController {
  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {}

  reconcile(): void {
    for (const hpa of this.store.list(AUTOSCALERS) as HorizontalPodAutoscaler[]) {
      const ref = hpa.spec.scaleTargetRef;
      if (ref.kind !== 'Deployment') continue;
      const d = this.store.get(DEPLOYMENTS, hpa.metadata.namespace, ref.name) as Deployment | undefined;
      if (!d) continue;
      this.sync(hpa, d);
    }
  }

  private reading(d: Deployment): Reading {
    const matches = selectorMatcher(d.spec.selector);
    const pods = (this.store.list(PODS, d.metadata.namespace) as Pod[]).filter(
      (p) => matches(p.metadata.labels ?? {}) && isReady(p) && !p.metadata.deletionTimestamp,
    );
    let used = 0;
    let requested = 0;
    for (const pod of pods) {
      for (const u of containerUsage(pod)) {
        if (u.cpuRequestMilli === undefined) continue;
        used += Math.ceil(u.cpuNano / 1e6);
        requested += u.cpuRequestMilli;
      }
    }
    if (requested === 0) return {};
    return { utilization: Math.floor((used * 100) / requested), averageMilli: Math.ceil(used / pods.length) };
  }

  private sync(hpa: HorizontalPodAutoscaler, d: Deployment): void {
    const min = hpa.spec.minReplicas ?? 1;
    const max = hpa.spec.maxReplicas;
    const current = d.spec.replicas;
    // Scaled to zero by hand: the real controller stops autoscaling until it is scaled up again.
    if (current === 0) return;
    const target = hpa.spec.metrics?.find((m) => m.resource.name === 'cpu')?.resource.target.averageUtilization;
    const reading = this.reading(d);
    let proposed = current;
    let reason = '';
    if (target && reading.utilization !== undefined && Math.abs(reading.utilization / target - 1) > TOLERANCE) {
      proposed = Math.ceil((current * reading.utilization) / target);
      reason = `cpu resource utilization (percentage of request) ${proposed > current ? 'above' : 'below'} target`;
    }
    let desired = Math.min(Math.max(proposed, min), max);
    if (proposed < min) reason = 'Current number of replicas below Spec.MinReplicas';
    if (proposed > max) reason = 'Current number of replicas above Spec.MaxReplicas';
    if (desired === current) reason = '';
    const next = clone(hpa);
    if (desired !== current) {
      const scaled = clone(d);
      scaled.spec.replicas = desired;
      this.store.update(DEPLOYMENTS, scaled);
      this.events.normal(hpa, 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, 'horizontal-pod-autoscaler');
      next.status = { ...next.status, lastScaleTime: rfc3339() };
    } else {
      desired = current;
    }
    next.status = {
      ...next.status,
      observedGeneration: hpa.metadata.generation,
      currentReplicas: d.status?.replicas ?? current,
      desiredReplicas: desired,
      currentMetrics:
        reading.utilization === undefined
          ? []
          : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: reading.utilization, averageValue: `${reading.averageMilli}m` } } }],
      conditions: conditions(hpa, proposed, min, max, reading.utilization !== undefined),
    };
    if (canonical(next.status) !== canonical(hpa.status)) this.store.update(AUTOSCALERS, next);
  }
}

function conditions(hpa: HorizontalPodAutoscaler, proposed: number, min: number, max: number, active: boolean): Condition[] {
  const limited = proposed < min ? 'TooFewReplicas' : proposed > max ? 'TooManyReplicas' : 'DesiredWithinRange';
  const fresh: Condition[] = [
    { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
    active
      ? { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' }
      : { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: no ready pods with cpu requests' },
    {
      type: 'ScalingLimited',
      status: limited === 'DesiredWithinRange' ? 'False' : 'True',
      reason: limited,
      message: limited === 'DesiredWithinRange' ? 'the desired count is within the acceptable range' : `the desired replica count is ${proposed < min ? 'less' : 'more'} than the ${proposed < min ? 'minimum' : 'maximum'} replica count`,
    },
  ];
  // A condition keeps its transition time while its status holds, as the controller writes it.
  return fresh.map((c) => {
    const old = hpa.status?.conditions?.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : rfc3339() };
  });
}
