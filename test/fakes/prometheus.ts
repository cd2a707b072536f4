import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake.js';

export interface PrometheusCall {
  path: string;
  query: Record<string, string>;
}

/**
 * A fake Prometheus HTTP API: `/api/v1/query` and `/api/v1/query_range` answer
 * the values set per query, in Prometheus's response format; anything else has no
 * series. It can answer an error (bad_data, 503) instead, as a real one does.
 */
export class FakePrometheus extends HttpFake {
  readonly calls: PrometheusCall[] = [];
  private readonly values = new Map<string, number>();
  private readonly ranges = new Map<string, number[]>();
  private failure: { status: number; errorType: string; error: string } | undefined;

  set(query: string, value: number, range?: number[]): void {
    this.values.set(query, value);
    if (range) this.ranges.set(query, range);
  }

  /** Every query answers this error until cleared with undefined. */
  fail(failure: { status: number; errorType: string; error: string } | undefined): void {
    this.failure = failure;
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.calls.push({ path: url.pathname, query });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (this.failure) {
      send(this.failure.status, { status: 'error', errorType: this.failure.errorType, error: this.failure.error });
      return;
    }
    const q = query.query ?? '';
    const value = this.values.get(q);
    if (url.pathname === '/api/v1/query') {
      const result = value === undefined ? [] : [{ metric: {}, value: [Date.now() / 1000, String(value)] }];
      send(200, { status: 'success', data: { resultType: 'vector', result } });
      return;
    }
    if (url.pathname === '/api/v1/query_range') {
      const start = Number(query.start);
      const step = Number(query.step);
      const series = this.ranges.get(q) ?? (value === undefined ? [] : [value]);
      const values = series.map((v, i) => [start + i * step, String(v)]);
      send(200, { status: 'success', data: { resultType: 'matrix', result: values.length > 0 ? [{ metric: {}, values }] : [] } });
      return;
    }
    send(404, { status: 'error', errorType: 'not_found', error: 'not found' });
  }
}
