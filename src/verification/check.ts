import axios from 'axios';
import type { Service, ServiceEnv } from '../config/catalog-schema.js';
import { describeReading, type MetricsPort, type Reading, readHealth } from '../core/health.js';

/** What one look at the service found. */
export interface CheckResult {
  /** The health endpoint: 'HTTP 200', 'HTTP 503', 'unreachable: ECONNREFUSED', or absent when the catalog has none. */
  health?: { ok: boolean; detail: string };
  readings: Reading[];
  /** Set when Prometheus could not be read; verification cannot pass blind. */
  metricsUnavailable?: string;
  verdict: 'ok' | 'warning' | 'critical';
  /** Why the verdict is not ok, one phrase per problem. */
  problems: string[];
}

export interface CheckDeps {
  metrics?: MetricsPort;
  healthUrl?: string;
  timeoutMs?: number;
}

export async function probeHealth(url: string, timeoutMs = 5000): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await axios.get(url, { timeout: timeoutMs, validateStatus: () => true, maxRedirects: 0 });
    return { ok: response.status === 200, detail: `HTTP ${response.status}` };
  } catch (error) {
    const code = axios.isAxiosError(error) ? (error.code ?? error.message) : String(error);
    return { ok: false, detail: `unreachable: ${code}` };
  }
}

/** The runbook's "Verification (post-mitigation)": health endpoint 200 and every indicator below its thresholds. */
export async function checkOnce(service: string, spec: Service, envSpec: ServiceEnv, deps: CheckDeps): Promise<CheckResult> {
  const problems: string[] = [];
  const critical: string[] = [];
  const [health, report] = await Promise.all([
    deps.healthUrl ? probeHealth(deps.healthUrl, deps.timeoutMs) : Promise.resolve(undefined),
    deps.metrics && Object.keys(spec.indicators).length > 0
      ? readHealth(deps.metrics, spec.indicators, { namespace: envSpec.namespace, deployment: envSpec.deployment, service })
      : Promise.resolve(undefined),
  ]);
  if (health && !health.ok) critical.push(`health endpoint ${health.detail}`);
  let readings: Reading[] = [];
  let metricsUnavailable: string | undefined;
  if (report && !report.ok) {
    metricsUnavailable = report.reason;
    critical.push(`metrics unavailable (${report.reason})`);
  } else if (report?.ok) {
    readings = report.readings;
    for (const r of readings) {
      if (r.grade === 'critical') critical.push(`${r.name} ${describeReading(r)}`);
      else if (r.grade === 'warning') problems.push(`${r.name} ${describeReading(r)}`);
    }
  }
  return {
    ...(health ? { health } : {}),
    readings,
    ...(metricsUnavailable ? { metricsUnavailable } : {}),
    verdict: critical.length > 0 ? 'critical' : problems.length > 0 ? 'warning' : 'ok',
    problems: [...critical, ...problems],
  };
}
