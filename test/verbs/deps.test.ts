import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/clients/prometheus.js';
import { type MetricsPort, MetricsUnavailableError } from '../../src/core/health.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { sandboxEndpoints } from '../../src/verification/ports.js';
import { deps, type DepsPorts } from '../../src/verbs/deps/deps.js';
import { catalog, noProgress, verbContext } from './support/context.js';
import { type FakeService, startFakeService } from './support/fake-service.js';

const check = (ports: DepsPorts, service: string) => deps.execute(verbContext(ports), deps.args.parse({ service }), noProgress);

/** A metrics backend that answers each query by the metric it names: just the port deps declares. */
function metricsAnswering(values: Record<string, number | undefined>): MetricsPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    query: async (promql) => {
      asked.push(promql);
      const metric = Object.keys(values).find((m) => promql.includes(m));
      return metric === undefined ? undefined : values[metric];
    },
    queryRange: async () => [],
  };
}

describe('deps against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ catalog, rolloutIntervalMs: 50 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("grades the orchestrator's intelgraph-core pods, Redis memory and Postgres reachability from Prometheus", async () => {
    const result = await check({ metrics: new PrometheusClient({ baseUrl: sandbox.prometheusUrl }), endpoints: sandboxEndpoints(sandbox) }, 'maestro-orchestrator');
    expect(result.message.title).toBe('maestro-orchestrator in prod: 3 of 3 dependencies healthy');
    expect(result.message.fields).toEqual([
      { label: 'core_pods_ready', value: '100% healthy (≤ 99% warning, 50% critical)' },
      { label: 'redis_memory', value: '40% healthy (≥ 80% warning, 90% critical)' },
      { label: 'postgres_reachable', value: '100% healthy (≤ 99% warning, 50% critical)' },
    ]);
    expect(result.facts?.worst).toBe('healthy');
  });

  it("calls Victor's dependency endpoint on its admin API and grades its answer", async () => {
    const result = await check({ endpoints: sandboxEndpoints(sandbox) }, 'victor-coordinators');
    expect(result.facts?.checks).toMatchObject([{ name: 'required_services', grade: 'healthy' }]);
    expect(result.message.fields?.[0]?.value).toMatch(/^GET \/admin\/dependencies answered 200 in \d+ ms healthy \(≥ 1000 ms warning\)$/);
  });

  it('refuses a service with no dependency checks, naming those that have some', async () => {
    await expect(check({}, 'notification-agent')).rejects.toThrow(
      'notification-agent has no dependency checks in the catalog (services that have some: maestro-orchestrator, victor-coordinators)',
    );
  });
});

describe('deps grading', () => {
  it('grades each check against its own thresholds and titles the result with the ones that are not healthy', async () => {
    const metrics = metricsAnswering({ kube_pod_status_ready: 2 / 3, redis_memory_used_bytes: 0.95, pg_up: 0 });
    const result = await check({ metrics }, 'maestro-orchestrator');
    expect(result.facts?.checks.map((c) => [c.name, c.grade])).toEqual([
      ['core_pods_ready', 'warning'],
      ['redis_memory', 'critical'],
      ['postgres_reachable', 'critical'],
    ]);
    expect(result.message.title).toBe('maestro-orchestrator in prod: core_pods_ready warning, redis_memory critical, postgres_reachable critical');
    expect(result.message.severity).toBe('critical');
  });

  it('fills the catalog range and asks Prometheus the declared query', async () => {
    const metrics = metricsAnswering({});
    await check({ metrics }, 'maestro-orchestrator');
    expect(metrics.asked[1]).toBe('max(redis_memory_used_bytes{namespace="intelgraph-core"}) / max(redis_memory_max_bytes{namespace="intelgraph-core"})');
  });

  it('says a query with no series has no data, and does not call that healthy', async () => {
    const result = await check({ metrics: metricsAnswering({ kube_pod_status_ready: 1, pg_up: 1 }) }, 'maestro-orchestrator');
    expect(result.message.fields?.[1]?.value).toBe('no data (the query returned no series: is its exporter scraped?)');
    expect(result.message.title).toBe('maestro-orchestrator in prod: 2 of 3 dependencies healthy, 1 not checked');
    expect(result.message.severity).toBe('warning');
  });

  it('says the checks could not be made when Prometheus is down, rather than grading them', async () => {
    const down: MetricsPort = {
      query: () => Promise.reject(new MetricsUnavailableError('connect ECONNREFUSED 127.0.0.1:9090')),
      queryRange: async () => [],
    };
    const result = await check({ metrics: down }, 'maestro-orchestrator');
    expect(result.message.fields?.[0]?.value).toBe('not checked: metrics unavailable (connect ECONNREFUSED 127.0.0.1:9090)');
    expect(result.facts?.worst).toBeUndefined();
  });

  it('says no Prometheus is configured when there is none', async () => {
    const result = await check({}, 'maestro-orchestrator');
    expect(result.message.fields?.[0]?.value).toBe('not checked: no Prometheus is configured (set PROMETHEUS_URL)');
  });
});

describe('deps against a dependency endpoint that misbehaves', () => {
  let fake: FakeService;
  beforeAll(async () => {
    fake = await startFakeService();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('grades a 503 as critical, with the status', async () => {
    fake.answer('/admin/dependencies', { status: 503, body: '{"ok":false}' });
    const result = await check({ endpoints: fake.endpoints, serviceTimeoutMs: 300 }, 'victor-coordinators');
    expect(result.facts?.checks).toEqual([{ name: 'required_services', grade: 'critical', detail: 'GET /admin/dependencies answered HTTP 503' }]);
  });

  it("grades a 2xx slower than the check's warningMs (1000 ms) as a warning", async () => {
    fake.answer('/admin/dependencies', { status: 200, body: '{"ok":true}', delayMs: 1100 });
    const result = await check({ endpoints: fake.endpoints, serviceTimeoutMs: 3000 }, 'victor-coordinators');
    expect(result.facts?.checks[0]?.grade).toBe('warning');
    expect(result.message.title).toBe('victor-coordinators in prod: required_services warning');
  });

  it('grades a check that does not answer in time as critical, saying it timed out', async () => {
    fake.answer('/admin/dependencies', 'hang');
    const result = await check({ endpoints: fake.endpoints, serviceTimeoutMs: 300 }, 'victor-coordinators');
    expect(result.facts?.checks[0]).toMatchObject({ grade: 'critical', detail: 'GET /admin/dependencies timed out after 300 ms' });
  });
});
