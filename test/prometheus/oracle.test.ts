import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/clients/prometheus.js';
import { fillQuery, grade } from '../../src/core/health.js';
import { IMAGE, MAESTRO, PROD, catalog, rolledOut, startTestCluster, type TestCluster, waitFor } from '../sandbox/support.js';
import { backfill, hasPrometheus, type RealPrometheus, startPrometheus } from '../support/real-prometheus.js';

/**
 * Debian's real Prometheus is the oracle for the sandbox's built-in answers: given
 * the day of history scraping /metrics would have collected (backfilled with promtool
 * rather than waited for), it must grade every catalog health query as the built-in
 * API does, and give values within a few percent. The tolerance is the sandbox's own
 * ±5% wobble: a [5m] rate averages it over five minutes, a [1d] increase over a day.
 */

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const MINUTE = 60_000;

const queries = Object.entries(catalog.services).flatMap(([service, svc]) =>
  Object.entries(svc.envs).flatMap(([env, e]) =>
    Object.entries(svc.indicators).map(([name, indicator]) => ({
      label: `${service}/${env} ${name}`,
      service,
      name,
      indicator,
      promql: fillQuery(indicator.query, { namespace: e.namespace, deployment: e.deployment, service }),
    })),
  ),
);

describe.runIf(hasPrometheus || process.env.CI)('a real Prometheus fed the sandbox’s /metrics', () => {
  let c: TestCluster;
  let real: RealPrometheus | undefined;
  beforeAll(async () => {
    c = await startTestCluster();
  });
  afterAll(async () => {
    await real?.stop();
    await c.sandbox.close();
  });

  /**
   * A day of what scraping /metrics would have given, in a real Prometheus: every 15 s
   * for the last half hour (what the [5m] queries read), every 15 minutes before that
   * (enough for the [1d] increase), and on for two minutes, so that queries made while
   * it starts up still end their windows on samples.
   */
  async function prometheusWithHistory(): Promise<PrometheusClient> {
    await real?.stop();
    const now = Date.now();
    const history = c.sandbox.metricsHistory([
      { from: now - 1440 * MINUTE, to: now - 45 * MINUTE, stepMs: 15 * MINUTE },
      { from: now - 30 * MINUTE, to: now + 2 * MINUTE, stepMs: 15_000 },
    ]);
    real = await startPrometheus({ dir: backfill(history) });
    return new PrometheusClient({ baseUrl: real.url });
  }

  async function compare(prometheus: PrometheusClient) {
    const builtIn = new PrometheusClient({ baseUrl: c.sandbox.prometheusUrl });
    const rows = [];
    for (const q of queries) {
      const [oracle, sandbox] = await Promise.all([prometheus.query(q.promql), builtIn.query(q.promql)]);
      rows.push({ ...q, oracle, sandbox });
    }
    for (const r of rows) {
      expect(r.oracle, `${r.label}: the real Prometheus has no value for ${r.promql}`).toBeDefined();
      expect(r.sandbox, r.label).toBeDefined();
      expect({ query: r.label, grade: grade(r.indicator, r.oracle!) }).toEqual({ query: r.label, grade: grade(r.indicator, r.sandbox!) });
      const tolerance = r.promql.includes('[1d]') ? 0.07 : 0.05;
      expect(Math.abs(r.oracle! - r.sandbox!), `${r.label}: ${r.oracle} vs built-in ${r.sandbox}`).toBeLessThanOrEqual(Math.abs(r.sandbox!) * tolerance);
    }
    return rows;
  }

  it('grades every catalog health query as the built-in API does while the bad release runs', { timeout: 90_000 }, async () => {
    const rows = await compare(await prometheusWithHistory());
    const errorRate = rows.find((r) => r.label === `${MAESTRO}/prod error_rate`)!;
    expect(grade(errorRate.indicator, errorRate.oracle!)).toBe('critical');
  });

  it('and after the rollback', { timeout: 90_000 }, async () => {
    await c.apps.patchNamespacedDeployment(
      { name: MAESTRO, namespace: PROD, body: { spec: { template: { spec: { containers: [{ name: MAESTRO, image: IMAGE('v2.7.3') }] } } } } },
      strategic,
    );
    await waitFor(async () => rolledOut(await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD })), 'the rollback');
    const rows = await compare(await prometheusWithHistory());
    const errorRate = rows.find((r) => r.label === `${MAESTRO}/prod error_rate`)!;
    expect(grade(errorRate.indicator, errorRate.oracle!)).toBe('healthy');
  });
});
