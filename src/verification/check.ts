import axios from 'axios';
import type { Service, ServiceEnv } from '../config/catalog-schema.js';
import { describeReading, type MetricsPort, type Reading, readHealth } from '../core/health.js';
import type { PodLogReader } from './ports.js';
import { type RepeatingTrace, repeatingTraces } from './stack-traces.js';

/** Runbook 003: "Logs: no repeating stack traces in the last 5 minutes." */
export const LOG_WINDOW_SECONDS = 300;
/** Bounds on what one check reads: the pods of one deployment, each's last lines of the window. */
const MAX_PODS = 10;
const TAIL_LINES = 2000;

/** What one look at the service found. */
export interface CheckResult {
  /** The health endpoint: 'HTTP 200', 'HTTP 503', 'unreachable: ECONNREFUSED', or absent when the catalog has none. */
  health?: { ok: boolean; detail: string };
  readings: Reading[];
  /** Set when Prometheus could not be read; verification cannot pass blind. */
  metricsUnavailable?: string;
  /** Stack traces whose first line came back three times or more in the last 5 minutes of the pods' logs; absent when logs were not read. */
  traces?: RepeatingTrace[];
  /** Set when the pods' logs could not be read; like Prometheus, verification cannot pass blind. */
  logsUnavailable?: string;
  verdict: 'ok' | 'warning' | 'critical';
  /** Why the verdict is not ok, one phrase per problem. */
  problems: string[];
}

export interface CheckDeps {
  metrics?: MetricsPort;
  healthUrl?: string;
  timeoutMs?: number;
  logs?: PodLogReader;
}

type LogsReport = { ok: true; traces: RepeatingTrace[] } | { ok: false; reason: string };

async function readTraces(logs: PodLogReader, envSpec: ServiceEnv): Promise<LogsReport> {
  try {
    const pods = (await logs.listPods(envSpec.namespace, envSpec.selector)).slice(0, MAX_PODS);
    const texts = await Promise.all(
      pods.map((pod) => logs.podLogs(envSpec.namespace, pod.name, { container: envSpec.container, sinceSeconds: LOG_WINDOW_SECONDS, tailLines: TAIL_LINES })),
    );
    return { ok: true, traces: repeatingTraces(texts) };
  } catch (error) {
    return { ok: false, reason: (error instanceof Error ? error.message : String(error)).slice(0, 200) };
  }
}

/** `repeating stack trace in the last 5m of logs (4×): "TypeError: …"`: the line is quoted redacted (stack-traces.ts). */
export function describeTrace(trace: RepeatingTrace): string {
  return `repeating stack trace in the last 5m of logs (${trace.count}×): "${trace.line}"`;
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

/**
 * The runbook's "Verification (post-mitigation)": health endpoint 200, every indicator
 * below its thresholds, and no repeating stack traces in the last 5 minutes of logs.
 */
export async function checkOnce(service: string, spec: Service, envSpec: ServiceEnv, deps: CheckDeps): Promise<CheckResult> {
  const problems: string[] = [];
  const critical: string[] = [];
  const [health, report, logs] = await Promise.all([
    deps.healthUrl ? probeHealth(deps.healthUrl, deps.timeoutMs) : Promise.resolve(undefined),
    deps.metrics && Object.keys(spec.indicators).length > 0
      ? readHealth(deps.metrics, spec.indicators, { namespace: envSpec.namespace, deployment: envSpec.deployment, service })
      : Promise.resolve(undefined),
    deps.logs ? readTraces(deps.logs, envSpec) : Promise.resolve(undefined),
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
  if (logs && !logs.ok) critical.push(`logs unavailable (${logs.reason})`);
  else if (logs?.ok) critical.push(...logs.traces.map(describeTrace));
  return {
    ...(health ? { health } : {}),
    readings,
    ...(metricsUnavailable ? { metricsUnavailable } : {}),
    ...(logs?.ok ? { traces: logs.traces } : {}),
    ...(logs && !logs.ok ? { logsUnavailable: logs.reason } : {}),
    verdict: critical.length > 0 ? 'critical' : problems.length > 0 ? 'warning' : 'ok',
    problems: [...critical, ...problems],
  };
}
