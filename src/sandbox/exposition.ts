import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog, Indicator } from '../config/catalog-schema.js';
import type { WarmJobs } from './admin.js';
import { indicatorValue } from './metrics.js';
import { type Selector, type Shape, shapeOf } from './metric-shapes.js';
import { DEPLOYMENTS, PODS } from './resources.js';
import { selectorMatcher } from './selectors.js';
import type { Store } from './store.js';
import type { Deployment, Pod } from './types.js';
import type { ReleaseQuality } from './workload.js';
import { catalogWorkloads } from './workloads.js';

/**
 * The simulated workloads' metrics in the Prometheus text format, at /metrics, so
 * a real Prometheus can scrape the sandbox and answer the catalog's queries itself.
 * Each ready pod exports the series its service's indicator queries read, with the
 * labels the real exporters give them: the services' own metrics carry namespace,
 * pod, container and service; cAdvisor's (container_*) namespace, pod and
 * container; kube-state-metrics' (kube_*) also resource and unit. The values come
 * from the same model as the built-in answers (indicatorValue), pod by pod.
 */

export const METRICS_PATH = '/metrics';

/** Requests a second each pod serves: the denominator of every ratio. */
const REQUESTS_PER_SECOND = 10;
/** Resource limits per pod, by kube-state-metrics' resource label. */
const LIMITS: Record<string, { value: number; unit: string }> = { memory: { value: 1024 ** 3, unit: 'byte' }, cpu: { value: 1, unit: 'core' } };
/** A daily budget (tokens) for increase()-over-a-day ratios. */
const BUDGET = 1_000_000;

type Kind = 'counter' | 'gauge' | 'histogram';
interface Family {
  kind: Kind;
  help: string;
  lines: Map<string, number>;
}

/** A service in one env, with the indicators whose queries it exports for. */
interface Workload {
  service: string;
  namespace: string;
  deployment: string;
  container: string;
  indicators: { name: string; indicator: Indicator; shape: Shape }[];
}

interface Sink {
  gauge(name: string, labels: Record<string, string>, value: number): void;
  /** A counter growing by `perSecond`; `family` is the histogram a _bucket/_sum/_count series belongs to. */
  counter(name: string, labels: Record<string, string>, perSecond: number, family?: string): void;
}

interface PodView {
  labels: Record<string, string>;
  value: number;
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** Histogram bounds around an indicator's thresholds, fixed so rates over time stay comparable. */
function bounds(indicator: Indicator): number[] {
  const { warning: w, critical: c } = indicator;
  return [w * 0.25, w * 0.5, w, (w + c) / 2, c, c * 1.5, c * 2, c * 4];
}

/**
 * Cumulative shares of observations at each bound, so that histogram_quantile(q)
 * interpolates to exactly `v`: a share below the bound under `v`, the rest mostly in
 * the bucket holding `v`, a little above it.
 */
function cumulativeShares(les: number[], q: number, v: number): number[] {
  const k = Math.max(0, les.findIndex((b) => v <= b));
  const lower = k === 0 ? 0 : les[k - 1]!;
  const t = Math.min(1, Math.max(1e-6, (v - lower) / (les[k]! - lower)));
  const inBucket = Math.min((1 - q) / (1 - t || 1e-9), q / t);
  const below = q - t * inBucket;
  return les.map((_, i) => (i < k ? below : below + inBucket));
}

export class SandboxExposition {
  private readonly counters = new Map<string, { value: number; at: number }>();
  private readonly workloads: Workload[] = [];

  constructor(
    private readonly store: Store,
    private readonly quality: ReleaseQuality,
    private readonly warm: WarmJobs,
    catalog: Catalog,
  ) {
    for (const w of catalogWorkloads(catalog)) {
      const indicators = w.indicators.flatMap(({ name, indicator, promql }) => {
        const shape = shapeOf(promql);
        return shape ? [{ name, indicator, shape }] : [];
      });
      this.workloads.push({ ...w, indicators });
    }
  }

  /** The exposition at `now`; counters advance by the rate each series has had since the last scrape. */
  render(now = Date.now()): string {
    const families = new Map<string, Family>();
    let help = '';
    const emit = (family: string, kind: Kind, series: string, value: number) => {
      const f = families.get(family) ?? { kind, help, lines: new Map() };
      f.lines.set(series, value);
      families.set(family, f);
    };
    const sink: Sink = {
      gauge: (name, labels, value) => emit(name, 'gauge', `${name}${labelText(labels)}`, value),
      counter: (name, labels, perSecond, family = name) => {
        const series = `${name}${labelText(labels)}`;
        const c = this.counters.get(series) ?? { value: 0, at: now };
        c.value += (perSecond * Math.max(0, now - c.at)) / 1000;
        c.at = now;
        this.counters.set(series, c);
        emit(family, family === name ? 'counter' : 'histogram', series, c.value);
      },
    };
    for (const w of this.workloads) {
      const warmth = this.warm.warmth(`${w.namespace}/${w.deployment}`, now);
      const pods = this.readyPods(w.namespace, w.deployment);
      for (const { name, indicator, shape } of w.indicators) {
        help = `Sandbox: read by the ${w.service} indicator ${name} (${indicator.description}).`;
        for (const pod of pods) {
          const view = {
            labels: { namespace: w.namespace, pod: pod.metadata.name, container: w.container, service: w.service },
            value: indicatorValue(name, indicator, this.isFaulty(pod) ? 1 : 0, warmth, now),
          };
          exportPod(sink, shape, indicator, view, pods.length);
        }
      }
    }
    // A pod that is gone (or no longer ready) stops exporting, as a real one would.
    for (const [series, c] of this.counters) if (c.at < now) this.counters.delete(series);
    const out: string[] = [];
    for (const [name, family] of families) {
      out.push(`# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${family.kind}`);
      for (const [series, value] of family.lines) out.push(`${series} ${value}`);
    }
    return `${out.join('\n')}\n`;
  }

  private readyPods(namespace: string, deployment: string): Pod[] {
    const d = this.store.get(DEPLOYMENTS, namespace, deployment) as Deployment | undefined;
    if (!d) return [];
    const matches = selectorMatcher(d.spec.selector);
    return (this.store.list(PODS, namespace) as Pod[]).filter(
      (p) => matches(p.metadata.labels ?? {}) && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
  }

  private isFaulty(pod: Pod): boolean {
    return pod.spec.containers.some((c) => this.quality.isFaultyRelease(c.image));
  }
}

/** The series one ready pod exports so that `shape`, over all pods, gives the pods' value. */
function exportPod({ gauge, counter }: Sink, shape: Shape, indicator: Indicator, pod: PodView, podCount: number): void {
  const v = pod.value;
  switch (shape.kind) {
    case 'counterRatio': {
      const { numerator: n, denominator: d } = shape;
      if (n.name === d.name) {
        // errors are the requests whose label the numerator picks (status=~"5..").
        const [key] = Object.keys(n.regex);
        const bad = { ...seriesLabels(n, pod), ...(key ? { [key]: exampleOf(n.regex[key]!) } : {}) };
        counter(n.name, bad, v * REQUESTS_PER_SECOND);
        counter(d.name, { ...seriesLabels(d, pod), ...(key ? { [key]: '200' } : {}) }, (1 - v) * REQUESTS_PER_SECOND);
      } else {
        counter(n.name, seriesLabels(n, pod), v * REQUESTS_PER_SECOND);
        counter(d.name, seriesLabels(d, pod), REQUESTS_PER_SECOND);
      }
      return;
    }
    case 'quantile': {
      const h = shape.histogram;
      const les = bounds(indicator);
      const shares = cumulativeShares(les, shape.q, v);
      const labels = seriesLabels(h, pod);
      for (const [i, le] of les.entries()) counter(`${h.name}_bucket`, { ...labels, le: String(le) }, shares[i]! * REQUESTS_PER_SECOND, h.name);
      counter(`${h.name}_bucket`, { ...labels, le: '+Inf' }, REQUESTS_PER_SECOND, h.name);
      counter(`${h.name}_sum`, labels, v * REQUESTS_PER_SECOND, h.name);
      counter(`${h.name}_count`, labels, REQUESTS_PER_SECOND, h.name);
      return;
    }
    case 'gauge':
      gauge(shape.gauge.name, seriesLabels(shape.gauge, pod), v);
      return;
    case 'gaugeRatio': {
      const limit = limitOf(shape.limit);
      gauge(shape.limit.name, seriesLabels(shape.limit, pod), limit);
      gauge(shape.gauge.name, seriesLabels(shape.gauge, pod), v * limit);
      return;
    }
    case 'rateRatio': {
      const limit = limitOf(shape.limit);
      gauge(shape.limit.name, seriesLabels(shape.limit, pod), limit);
      counter(shape.counter.name, seriesLabels(shape.counter, pod), v * limit);
      return;
    }
    case 'rate':
      counter(shape.counter.name, seriesLabels(shape.counter, pod), v / podCount);
      return;
    case 'increaseRatio':
      gauge(shape.limit.name, seriesLabels(shape.limit, pod), BUDGET);
      counter(shape.counter.name, seriesLabels(shape.counter, pod), (v * BUDGET) / shape.rangeSeconds / podCount);
      return;
  }
}

/** A pod's labels as the exporter of `s` gives them, plus what the query selects on. */
function seriesLabels(s: Selector, pod: PodView): Record<string, string> {
  const { service, ...podLabels } = pod.labels;
  const own = s.name.startsWith('container_') || s.name.startsWith('kube_') ? podLabels : pod.labels;
  const limit: Record<string, string> = s.labels.resource ? { unit: LIMITS[s.labels.resource]?.unit ?? 'integer' } : {};
  return { ...own, ...s.labels, ...limit };
}

function limitOf(s: Selector): number {
  return LIMITS[s.labels.resource ?? '']?.value ?? 1;
}

/** A label value a regex matcher such as `5..` selects. */
function exampleOf(regex: string): string {
  return regex.replace(/\./g, '0').replace(/[^\w-]/g, '');
}

export function handleExposition(exposition: SandboxExposition, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (url.pathname !== METRICS_PATH || req.method !== 'GET') return false;
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  res.end(exposition.render());
  return true;
}
