import type { V2HorizontalPodAutoscaler, V2MetricSpec, V2MetricStatus } from '@kubernetes/client-node';
import type { AutoscalerInfo, AutoscalerMetric } from './shapes.js';

type Target = { type?: string; averageUtilization?: number; averageValue?: string; value?: string };
type Current = { averageUtilization?: number; averageValue?: string; value?: string };

function targetText(t: Target | undefined): string | undefined {
  if (!t) return undefined;
  if (t.averageUtilization !== undefined) return `${t.averageUtilization}%`;
  return t.averageValue ?? t.value;
}

function currentText(c: Current | undefined): string | undefined {
  if (!c) return undefined;
  if (c.averageUtilization !== undefined) return `${c.averageUtilization}%`;
  return c.averageValue ?? c.value;
}

/** The metric's name and its target/current halves, whatever the source kind. */
function sourceOf(m: V2MetricSpec | V2MetricStatus): { name: string; target?: Target; current?: Current } {
  const s = (m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external) as
    | { name?: string; metric?: { name?: string }; target?: Target; current?: Current }
    | undefined;
  return { name: s?.name ?? s?.metric?.name ?? m.type, target: s?.target, current: s?.current };
}

export function toAutoscaler(h: V2HorizontalPodAutoscaler): AutoscalerInfo {
  const currents = (h.status?.currentMetrics ?? []).map(sourceOf);
  const metrics: AutoscalerMetric[] = (h.spec?.metrics ?? []).map((m) => {
    const s = sourceOf(m);
    const current = currentText(currents.find((c) => c.name === s.name)?.current);
    const target = targetText(s.target);
    return {
      name: s.name,
      type: m.type,
      targetType: s.target?.type ?? '',
      ...(target === undefined ? {} : { target }),
      ...(current === undefined ? {} : { current }),
    };
  });
  return {
    namespace: h.metadata?.namespace ?? '',
    name: h.metadata?.name ?? '',
    target: { kind: h.spec?.scaleTargetRef.kind ?? '', name: h.spec?.scaleTargetRef.name ?? '' },
    min: h.spec?.minReplicas ?? 1,
    max: h.spec?.maxReplicas ?? 0,
    ...(h.status?.currentReplicas === undefined ? {} : { current: h.status.currentReplicas }),
    ...(h.status?.desiredReplicas === undefined ? {} : { desired: h.status.desiredReplicas }),
    metrics,
    conditions: (h.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    ...(h.metadata?.resourceVersion ? { resourceVersion: h.metadata.resourceVersion } : {}),
  };
}
