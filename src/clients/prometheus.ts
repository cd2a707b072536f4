import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { z } from 'zod';
import { type MetricsPort, MetricsUnavailableError } from '../core/health.js';

/** Environment variables this adapter reads (main.ts extends the env schema with them). */
export const PrometheusEnvShape = {
  /** Base URL of the Prometheus HTTP API; without it (and outside the sandbox) status shows no metrics. */
  PROMETHEUS_URL: z.url().optional(),
};

const sampleValue = z.tuple([z.number(), z.string()]);

// https://prometheus.io/docs/prometheus/latest/querying/api/#expression-query-result-formats
const QueryData = z.discriminatedUnion('resultType', [
  z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })) }),
  z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) })) }),
  z.object({ resultType: z.literal('scalar'), result: sampleValue }),
  z.object({ resultType: z.literal('string'), result: sampleValue }),
]);

const ApiResponse = z.union([
  z.object({ status: z.literal('success'), data: QueryData, warnings: z.array(z.string()).optional() }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

export interface PrometheusOptions {
  baseUrl: string;
  /** Per request; a status command must not hang on a slow Prometheus (default 5 s). */
  timeoutMs?: number;
}

/** The Prometheus HTTP API: instant and range queries, every failure a MetricsUnavailableError. */
export class PrometheusClient implements MetricsPort {
  private readonly http: AxiosInstance;

  constructor(options: PrometheusOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 5000,
      // Prometheus explains bad queries in the JSON body of a 4xx/5xx: read it rather than throw.
      validateStatus: () => true,
    });
  }

  async query(promql: string): Promise<number | undefined> {
    const data = await this.call('/api/v1/query', { query: promql });
    switch (data.resultType) {
      case 'vector':
        return data.result[0] ? Number(data.result[0].value[1]) : undefined;
      case 'scalar':
        return Number(data.result[1]);
      default:
        throw new MetricsUnavailableError(`unexpected ${data.resultType} result for an instant query`);
    }
  }

  async queryRange(promql: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<number[]> {
    const data = await this.call('/api/v1/query_range', {
      query: promql,
      start: (range.start.getTime() / 1000).toFixed(3),
      end: (range.end.getTime() / 1000).toFixed(3),
      step: String(range.stepSeconds),
    });
    if (data.resultType !== 'matrix') throw new MetricsUnavailableError(`unexpected ${data.resultType} result for a range query`);
    return (data.result[0]?.values ?? []).map(([, v]) => Number(v));
  }

  private async call(path: string, params: Record<string, string>): Promise<z.infer<typeof QueryData>> {
    let response: { status: number; data: unknown };
    try {
      response = await this.http.get(path, { params });
    } catch (error) {
      throw new MetricsUnavailableError(describeTransportError(error));
    }
    const parsed = ApiResponse.safeParse(response.data);
    if (!parsed.success) throw new MetricsUnavailableError(`Prometheus answered HTTP ${response.status} with an unexpected body`);
    if (parsed.data.status === 'error') throw new MetricsUnavailableError(`${parsed.data.errorType}: ${parsed.data.error}`);
    return parsed.data.data;
  }
}

function describeTransportError(error: unknown): string {
  if (isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return 'Prometheus did not answer in time';
    if (error.code) return `cannot reach Prometheus: ${error.code}`;
    return `cannot reach Prometheus: ${error.message}`;
  }
  return `cannot reach Prometheus: ${String(error)}`;
}
