import { UserError } from '../../core/errors.js';
import type { AutoscalerInfo, AutoscalerReader } from '../shared/kubernetes-ports.js';
import type { Target } from '../shared/target.js';

/**
 * The HorizontalPodAutoscaler whose scaleTargetRef is the service's deployment, if any.
 * Two of them fight over the same deployment (the real controller reports
 * AmbiguousSelector); the first by name is shown, and `others` says there are more.
 */
export async function autoscalerOf(k8s: AutoscalerReader, target: Target): Promise<{ hpa?: AutoscalerInfo; others: string[] }> {
  const all = await k8s.listAutoscalers(target.ref.namespace);
  const mine = all.filter((h) => h.target.kind === 'Deployment' && h.target.name === target.ref.deployment);
  return { hpa: mine[0], others: mine.slice(1).map((h) => h.name) };
}

/** "cpu: 58% / 60% (Utilization)" for each of the autoscaler's metrics. */
export function targetsText(hpa: AutoscalerInfo): string {
  if (hpa.metrics.length === 0) return 'none';
  return hpa.metrics
    .map((m) => `${m.name}: ${m.current ?? '<unknown>'} / ${m.target ?? '?'}${m.targetType ? ` (${m.targetType})` : ''}`)
    .join('; ');
}

/** What the autoscaler will do with a replica count set by hand: keep it, or bring it back within its bounds. */
export function overrideOf(hpa: AutoscalerInfo, replicas: number): { to?: number; text: string } {
  const ref = `HorizontalPodAutoscaler ${hpa.name} (min ${hpa.min}, max ${hpa.max})`;
  if (replicas > hpa.max) return { to: hpa.max, text: `${ref} manages this deployment and will scale it back to ${hpa.max}` };
  if (replicas < hpa.min && replicas > 0) return { to: hpa.min, text: `${ref} manages this deployment and will scale it back up to ${hpa.min}` };
  if (replicas === 0) return { text: `${ref} manages this deployment; at 0 replicas it stops autoscaling until scaled up again` };
  return { text: `${ref} manages this deployment and may change the number as load changes (use hpa set to move its bounds)` };
}

/**
 * The warning a plan that sets replicas by hand carries when an autoscaler owns them. A
 * cluster that will not say (the Role predates the autoscaler grant) does not block the
 * change: the plan says it could not check.
 */
export async function autoscalerWarning(k8s: AutoscalerReader, target: Target, replicas: number): Promise<string | undefined> {
  try {
    const { hpa } = await autoscalerOf(k8s, target);
    return hpa ? `warning: ${overrideOf(hpa, replicas).text}` : undefined;
  } catch (error) {
    if (error instanceof UserError) return `could not check for an autoscaler: ${error.message}`;
    throw error;
  }
}
