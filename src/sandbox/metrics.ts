import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog, Indicator } from '../config/catalog-schema.js';
import type { WarmJobs } from './admin.js';
import { sendJson } from './server.js';
import { PODS } from './resources.js';
import type { Store } from './store.js';
import { type ReleaseQuality, type WorkloadHealth, workloadHealth } from './workload.js';
import { normaliseQuery } from './metric-shapes.js';
import { catalogWorkloads } from './workloads.js';
import { dependencyValues } from './dependency-metrics.js';

/**
 * A Prometheus stand-in for the catalog's own queries. Values follow the
 * simulated pods: a faulty release drives error rate and latency past the
 * critical threshold, a rollback brings them back, a cold cache shows a low hit
 * rate until `cache warm` has run. Only the catalog's queries are known; any
 * other query has no series, as Prometheus answers for a metric nobody exports.
 */

interface Series {
  key: string;
  name: string;
  indicator: Indicator;
  namespace: string;
  deployment: string;
}

interface Snapshot {
  at: number;
  health: WorkloadHealth;
}


/** Where the value of an indicator sits for a healthy and a misbehaving service. */
function baseline(indicator: Indicator): { good: number; bad: number } {
  const { warning, critical, badWhen, unit } = indicator;
  if (badWhen === 'below') {
    const top = unit === 'ratio' ? 1 : unit === 'percent' ? 100 : warning * 1.5;
    return { good: warning + (top - warning) * 0.6, bad: critical * 0.85 };
  }
  return { good: warning * 0.35, bad: unit === 'ratio' ? Math.min(1, critical * 2.4) : critical * 1.4 };
}

function affectedByRelease(name: string, indicator: Indicator): boolean {
  return /error|latency|duration|p9\d/i.test(`${name} ${indicator.query}`) && indicator.badWhen === 'above';
}

/**
 * An indicator's value for pods of which `faultyShare` run the faulty release and whose
 * cache is `warmth` warm: the one model behind both the built-in answers and the
 * scrapeable exposition (exposition.ts), so a real Prometheus computes the same numbers.
 */
export function indicatorValue(name: string, indicator: Indicator, faultyShare: number, warmth: number, at: number): number {
  const { good, bad } = baseline(indicator);
  let value = good;
  if (indicator.badWhen === 'below') value = bad + (good - bad) * warmth;
  else if (affectedByRelease(name, indicator)) value = good + (bad - good) * faultyShare;
  // A slow wobble, so a trend line looks like a real one rather than a ruler.
  const v = value * (1 + 0.05 * Math.sin(at / 300_000 + name.length));
  return indicator.unit === 'ratio' ? Math.min(1, v) : v;
}

export class SandboxMetrics {
  private readonly series = new Map<string, Series>();
  private readonly timelines = new Map<string, Snapshot[]>();
  private readonly dependencies: Map<string, number>;

  constructor(
    private readonly store: Store,
    private readonly quality: ReleaseQuality,
    private readonly warm: WarmJobs,
    catalog: Catalog,
  ) {
    this.dependencies = dependencyValues(catalog);
    for (const w of catalogWorkloads(catalog)) {
      for (const { name, indicator, promql } of w.indicators) {
        this.series.set(normaliseQuery(promql), { key: `${w.namespace}/${w.deployment}`, name, indicator, namespace: w.namespace, deployment: w.deployment });
      }
    }
    // A snapshot per pod change gives query_range a history to draw a trend from.
    store.subscribe((event) => {
      if (event.resource !== PODS || !event.object.metadata.namespace) return;
      const ns = event.object.metadata.namespace;
      for (const s of this.series.values()) if (s.namespace === ns) this.snapshot(s, Date.now());
    });
  }

  /** The value of a known query at `at`, or undefined (no series). */
  valueAt(promql: string, at: number): number | undefined {
    const s = this.series.get(normaliseQuery(promql));
    if (!s) return this.dependencies.get(normaliseQuery(promql));
    const health = this.healthAt(s, at);
    if (!health.exists) return undefined;
    const affected = affectedByRelease(s.name, s.indicator);
    // No pod serving: every request fails, and nothing reports a latency.
    if (health.ready === 0 && s.indicator.badWhen === 'above') {
      if (!affected || /latency|duration/i.test(s.indicator.query)) return undefined;
      return indicatorValue(s.name, s.indicator, 1, 0, at);
    }
    return indicatorValue(s.name, s.indicator, health.ready > 0 ? health.readyFaulty / health.ready : 0, this.warm.warmth(s.key, at), at);
  }

  private snapshot(s: Series, at: number): WorkloadHealth {
    const health = workloadHealth(this.store, this.quality, s.namespace, s.deployment);
    const timeline = this.timelines.get(s.key) ?? [];
    const last = timeline[timeline.length - 1];
    if (!last || JSON.stringify(last.health) !== JSON.stringify(health)) {
      timeline.push({ at: last ? at : Number.NEGATIVE_INFINITY, health });
      if (timeline.length > 500) timeline.splice(1, timeline.length - 500);
      this.timelines.set(s.key, timeline);
    }
    return health;
  }

  private healthAt(s: Series, at: number): WorkloadHealth {
    const now = Date.now();
    if (at >= now - 1000) return this.snapshot(s, now);
    const timeline = this.timelines.get(s.key) ?? [];
    if (timeline.length === 0) return this.snapshot(s, now);
    let found = timeline[0]!;
    for (const snap of timeline) if (snap.at <= at) found = snap;
    return found.health;
  }
}

function promError(res: ServerResponse, code: number, errorType: string, error: string): void {
  sendJson(res, code, { status: 'error', errorType, error });
}

async function params(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  if (req.method !== 'POST') return url.searchParams;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  for (const [k, v] of url.searchParams) if (!form.has(k)) form.set(k, v);
  return form;
}

function parseTime(text: string | null, fallback: number): number {
  if (!text) return fallback;
  const n = Number(text);
  if (Number.isFinite(n)) return n * 1000;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`cannot parse "${text}" to a valid timestamp`);
  return t;
}

/** `/api/v1/query` and `/api/v1/query_range`, GET or form POST, in Prometheus's response format. */
export async function handlePrometheus(metrics: SandboxMetrics, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (path !== '/api/v1/query' && path !== '/api/v1/query_range') return false;
  const p = await params(req, url);
  const query = p.get('query');
  if (!query) {
    promError(res, 400, 'bad_data', 'invalid parameter "query": unknown expression');
    return true;
  }
  try {
    if (path === '/api/v1/query') {
      const at = parseTime(p.get('time'), Date.now());
      const value = metrics.valueAt(query, at);
      const result = value === undefined ? [] : [{ metric: {}, value: [at / 1000, String(value)] }];
      sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result } });
      return true;
    }
    const start = parseTime(p.get('start'), Number.NaN);
    const end = parseTime(p.get('end'), Number.NaN);
    const step = Number(p.get('step')) * 1000;
    if (!Number.isFinite(start) || !Number.isFinite(end) || !(step > 0)) {
      promError(res, 400, 'bad_data', 'invalid parameter "start", "end" or "step"');
      return true;
    }
    if ((end - start) / step > 11_000) {
      promError(res, 400, 'bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
      return true;
    }
    const values: [number, string][] = [];
    for (let t = start; t <= end; t += step) {
      const v = metrics.valueAt(query, t);
      if (v !== undefined) values.push([t / 1000, String(v)]);
    }
    sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: values.length > 0 ? [{ metric: {}, values }] : [] } });
  } catch (error) {
    promError(res, 400, 'bad_data', (error as Error).message);
  }
  return true;
}
