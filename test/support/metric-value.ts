import type { Metrics } from '../../src/core/metrics.js';

/** One sample of a metric, by name and (a subset of) its labels; undefined if never observed. */
export async function metricValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  // A histogram's _sum and _count are values of its family, told apart by metricName.
  const family = name.replace(/_(sum|count|bucket)$/, '');
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name || m.name === family);
  return metric?.values.find((v) => ((v as { metricName?: string }).metricName ?? metric.name) === name && Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

/** Every sample of a counter, as `label=value,...` → count: to assert that nothing else was counted. */
export async function metricSamples(metrics: Metrics, name: string): Promise<Record<string, number>> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const samples: Record<string, number> = {};
  for (const v of metric?.values ?? []) {
    const key = Object.entries(v.labels)
      .map(([k, l]) => `${k}=${l}`)
      .join(',');
    samples[key] = v.value;
  }
  return samples;
}
