import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { status } from '../../src/verbs/status/status.js';
import { PrometheusClient } from '../../src/clients/prometheus.js';
import { fillQuery, MetricsUnavailableError } from '../../src/core/health.js';
import { actionContext, catalog } from '../actions/context.js';
import { seededCluster } from '../actions/seed.js';
import { FakePrometheus } from '../fakes/prometheus.js';

const svc = catalog.services['maestro-orchestrator']!;
const vars = { namespace: 'intelgraph-prod', deployment: 'maestro-orchestrator', service: 'maestro-orchestrator' };
const q = (name: string) => fillQuery(svc.indicators[name]!.query, vars);

let prom: FakePrometheus;
beforeEach(async () => {
  prom = await new FakePrometheus().start();
});
afterEach(async () => {
  await prom.stop();
});

function statusContext(metrics: PrometheusClient) {
  const ctx = actionContext(seededCluster());
  return { ...ctx, ports: { ...ctx.ports, metrics } };
}

describe('PrometheusClient', () => {
  it('reads an instant vector through /api/v1/query with the filled query', async () => {
    prom.set(q('error_rate'), 0.12);
    const value = await new PrometheusClient({ baseUrl: prom.url }).query(q('error_rate'));
    expect(value).toBe(0.12);
    expect(prom.calls[0]).toMatchObject({ path: '/api/v1/query', query: { query: q('error_rate') } });
  });

  it('answers undefined for a query with no series', async () => {
    expect(await new PrometheusClient({ baseUrl: prom.url }).query('nothing')).toBeUndefined();
  });

  it('reads a range through /api/v1/query_range with start, end and step', async () => {
    prom.set('up', 1, [1, 2, 3]);
    const start = new Date('2025-01-01T00:00:00Z');
    const values = await new PrometheusClient({ baseUrl: prom.url }).queryRange('up', { start, end: new Date(start.getTime() + 1_800_000), stepSeconds: 60 });
    expect(values).toEqual([1, 2, 3]);
    expect(prom.calls[0]).toMatchObject({ path: '/api/v1/query_range', query: { start: '1735689600.000', end: '1735691400.000', step: '60' } });
  });

  it("turns Prometheus's error answer into MetricsUnavailableError with its reason", async () => {
    prom.fail({ status: 400, errorType: 'bad_data', error: 'parse error at char 5' });
    const error = await new PrometheusClient({ baseUrl: prom.url }).query('sum(').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsUnavailableError);
    expect((error as MetricsUnavailableError).reason).toBe('bad_data: parse error at char 5');
  });
});

describe('status with metrics', () => {
  it('grades each indicator and shows value, thresholds, trend and dashboards', async () => {
    prom.set(q('error_rate'), 0.12, [0.001, 0.002, 0.12]);
    prom.set(q('latency_p95'), 16);
    prom.set(q('memory'), 0.4);
    prom.set(q('cpu'), 0.2);
    const message = (await status.execute(statusContext(new PrometheusClient({ baseUrl: prom.url })), { service: 'maestro-orchestrator' }, async () => {})).message;
    const field = (prefix: string) => message.fields?.find((f) => f.label.startsWith(prefix))?.value;
    expect(field('error_rate')).toBe('12% critical (≥ 5% warning, 10% critical)  ▁▁█');
    expect(field('latency_p95')).toMatch(/^16 s warning/);
    expect(field('memory')).toMatch(/^40% healthy/);
    expect(field('Dashboards')).toContain('maestro/overview: https://grafana.intelgraph.ai/d/maestro-overview');
    expect(message.severity).toBe('critical');
  });

  it('says "metrics unavailable (reason)" when Prometheus is down, and still shows the deployment', async () => {
    const url = prom.url;
    await prom.stop();
    const message = (await status.execute(statusContext(new PrometheusClient({ baseUrl: url })), { service: 'maestro-orchestrator' }, async () => {})).message;
    expect(message.fields?.find((f) => f.label === 'Health')?.value).toBe('metrics unavailable (cannot reach Prometheus: ECONNREFUSED)');
    expect(message.fields?.find((f) => f.label === 'Replicas')).toBeDefined();
  });

  it('says "metrics unavailable (reason)" when Prometheus answers an error', async () => {
    prom.fail({ status: 503, errorType: 'unavailable', error: 'TSDB not ready' });
    const message = (await status.execute(statusContext(new PrometheusClient({ baseUrl: prom.url })), { service: 'maestro-orchestrator' }, async () => {})).message;
    expect(message.fields?.find((f) => f.label === 'Health')?.value).toBe('metrics unavailable (unavailable: TSDB not ready)');
  });

  it('shows no health section without a metrics port', async () => {
    const message = (await status.execute(actionContext(seededCluster()), { service: 'maestro-orchestrator' }, async () => {})).message;
    expect(message.fields?.some((f) => f.label.startsWith('error_rate') || f.label === 'Health')).toBe(false);
  });

  it('grades the overview by each service\'s worst signal: a critical indicator makes it critical while every rollout is complete', async () => {
    prom.set(q('error_rate'), 0.12);
    const message = (await status.execute(statusContext(new PrometheusClient({ baseUrl: prom.url })), {}, async () => {})).message;
    expect(message.severity).toBe('critical');
    const { columns, rows } = message.table!;
    expect(columns.map((c) => c.header)).toEqual(['SERVICE', 'READY', 'REVISION', 'IMAGE', 'ROLLOUT', 'HEALTH']);
    const rolloutAndHealth = (service: string) => rows.find((row) => row[0] === service)?.slice(4);
    expect(rolloutAndHealth('maestro-orchestrator')).toEqual(['complete', 'critical: error_rate 12%']);
    expect(rolloutAndHealth('notification-agent')).toEqual(['complete', 'healthy']);
  });

  it('marks a service whose metrics cannot be read in the overview, without failing it', async () => {
    prom.fail({ status: 503, errorType: 'unavailable', error: 'TSDB not ready' });
    const message = (await status.execute(statusContext(new PrometheusClient({ baseUrl: prom.url })), {}, async () => {})).message;
    expect(message.table!.rows.find((row) => row[0] === 'maestro-orchestrator')?.at(-1)).toBe('metrics unavailable (unavailable: TSDB not ready)');
  });
});
