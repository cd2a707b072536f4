import type { Indicator } from '../config/catalog-schema.js';

/**
 * Health indicators as the catalog defines them, graded against its thresholds.
 * The grading is pure so that `status`, verification and the cache-warm check
 * agree on what "critical" means, and the boundaries can be tested exactly.
 */

export type Grade = 'healthy' | 'warning' | 'critical';

/** What the grading needs from a metrics backend (Prometheus, or the sandbox's stand-in). */
export interface MetricsPort {
  /** The value of an instant query, or undefined when the query returns no series. */
  query(promql: string): Promise<number | undefined>;
  /** Values of a range query, oldest first; missing steps are skipped. */
  queryRange(promql: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<number[]>;
}

/** Thrown by a MetricsPort whose backend is down or answered an error; `reason` is shown to the user. */
export class MetricsUnavailableError extends Error {
  override readonly name = 'MetricsUnavailableError';
  constructor(readonly reason: string) {
    super(`metrics unavailable (${reason})`);
  }
}

/**
 * Reaching a threshold counts as crossing it: the runbook asks for values *below*
 * the thresholds, so a value sitting exactly on one is not yet recovered.
 */
export function grade(indicator: Pick<Indicator, 'badWhen' | 'warning' | 'critical'>, value: number): Grade {
  if (Number.isNaN(value)) return 'critical';
  const worse = indicator.badWhen === 'above' ? (t: number) => value >= t : (t: number) => value <= t;
  if (worse(indicator.critical)) return 'critical';
  if (worse(indicator.warning)) return 'warning';
  return 'healthy';
}

export interface QueryVars {
  namespace: string;
  deployment: string;
  service: string;
}

/** Fills the catalog query's `{namespace}`, `{deployment}` and `{service}`; other braces (PromQL's) stay. */
export function fillQuery(query: string, vars: QueryVars): string {
  return query.replace(/\{(namespace|deployment|service)\}/g, (_, key: keyof QueryVars) => vars[key]);
}

function trim(n: number, digits: number): string {
  return Number(n.toFixed(digits)).toString();
}

export function formatValue(unit: Indicator['unit'], value: number): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ratio':
      return `${trim(value * 100, Math.abs(value) < 0.1 ? 2 : 1)}%`;
    case 'percent':
      return `${trim(value, 1)}%`;
    case 'seconds':
      return value < 1 ? `${trim(value * 1000, 0)} ms` : `${trim(value, 2)} s`;
    case 'bytes':
      return `${trim(value / 1024 ** 3, 2)} GB`;
    case 'count':
      return trim(value, 0);
    case 'per_second':
      return `${trim(value, 3)}/s`;
  }
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line trend: the lowest value of the range is ▁, the highest █; a flat line is all ▄. */
export function sparkline(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  if (max - min < Number.EPSILON * Math.max(1, Math.abs(max))) return BARS[3]!.repeat(finite.length);
  return finite.map((v) => BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))]!).join('');
}

/** Thins a series to at most `width` points so a sparkline fits on one chat line. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const step = values.length / width;
  return Array.from({ length: width }, (_, i) => values[Math.floor(i * step)]!);
}

export interface Reading {
  name: string;
  indicator: Indicator;
  /** Undefined when Prometheus had no series for the query. */
  value?: number;
  grade?: Grade;
  trend?: string;
}

export type HealthReport = { ok: true; readings: Reading[]; worst: Grade } | { ok: false; reason: string };

export interface ReadOptions {
  /** Also fetch a trend over this many minutes before now (status: 30). */
  trendMinutes?: number;
  now?: Date;
}

const ORDER: Grade[] = ['healthy', 'warning', 'critical'];

export function worstOf(grades: readonly (Grade | undefined)[]): Grade {
  let worst: Grade = 'healthy';
  for (const g of grades) if (g && ORDER.indexOf(g) > ORDER.indexOf(worst)) worst = g;
  return worst;
}

/**
 * Reads and grades every indicator. Any failure of the backend turns the whole
 * report into "unavailable (reason)", because half a health table reads as healthy.
 */
export async function readHealth(
  metrics: MetricsPort,
  indicators: Readonly<Record<string, Indicator>>,
  vars: QueryVars,
  options: ReadOptions = {},
): Promise<HealthReport> {
  const now = options.now ?? new Date();
  try {
    const readings = await Promise.all(
      Object.entries(indicators).map(async ([name, indicator]): Promise<Reading> => {
        const promql = fillQuery(indicator.query, vars);
        const [value, series] = await Promise.all([
          metrics.query(promql),
          options.trendMinutes
            ? metrics.queryRange(promql, {
                start: new Date(now.getTime() - options.trendMinutes * 60_000),
                end: now,
                stepSeconds: Math.max(15, Math.round((options.trendMinutes * 60) / 30)),
              })
            : Promise.resolve([]),
        ]);
        const trend = sparkline(downsample(series, 30));
        return {
          name,
          indicator,
          ...(value === undefined ? {} : { value, grade: grade(indicator, value) }),
          ...(trend ? { trend } : {}),
        };
      }),
    );
    return { ok: true, readings, worst: worstOf(readings.map((r) => r.grade)) };
  } catch (error) {
    if (error instanceof MetricsUnavailableError) return { ok: false, reason: error.reason };
    throw error;
  }
}

/** One line per reading: `error_rate  12% critical (warning 1%, critical 5%)  ▁▁▂▇█`. */
export function describeReading(r: Reading): string {
  const { unit } = r.indicator;
  const value = r.value === undefined ? 'no data' : `${formatValue(unit, r.value)} ${r.grade}`;
  const limits = `${r.indicator.badWhen === 'above' ? '≥' : '≤'} ${formatValue(unit, r.indicator.warning)} warning, ${formatValue(unit, r.indicator.critical)} critical`;
  return `${value} (${limits})${r.trend ? `  ${r.trend}` : ''}`;
}
