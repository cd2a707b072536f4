import { spawnSync } from 'node:child_process';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillQuery } from '../../src/core/health.js';
import { IMAGE, MAESTRO, PROD, catalog, rolledOut, startTestCluster, type TestCluster, waitFor } from './support.js';

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const promtool = spawnSync('promtool', ['--version']).status === 0;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text format's sample lines (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = line.match(/^(\w+)\{(.*)\} (\S+)$/)!;
      const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

const total = (all: Sample[], name: string, where: (l: Record<string, string>) => boolean = () => true) =>
  all.filter((s) => s.name === name && s.labels.namespace === PROD && where(s.labels)).reduce((sum, s) => sum + s.value, 0);

describe('the sandbox at /metrics', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = await startTestCluster();
  });
  afterEach(async () => {
    await c.sandbox.close();
  });

  const scrape = async () => samples(await (await fetch(`${c.sandbox.url}/metrics`)).text());
  const builtIn = async (promql: string) => {
    const body = (await (await fetch(`${c.sandbox.url}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as { data: { result: { value: [number, string] }[] } };
    return Number(body.data.result[0]!.value[1]);
  };
  /** The orchestrator's error ratio as rate()/rate() sees it between two scrapes. */
  const scrapedErrorRatio = async () => {
    const before = await scrape();
    await new Promise((r) => setTimeout(r, 500));
    const after = await scrape();
    const delta = (name: string) => total(after, name) - total(before, name);
    return delta('maestro_orchestration_errors_total') / delta('maestro_orchestration_requests_total');
  };
  const errorRateQuery = fillQuery(catalog.services[MAESTRO]!.indicators.error_rate!.query, { namespace: PROD, deployment: MAESTRO, service: MAESTRO });

  it.runIf(promtool)('is an exposition promtool check metrics accepts', async () => {
    const text = await (await fetch(`${c.sandbox.url}/metrics`)).text();
    const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('labels each series as its real exporter would: the service’s own, cAdvisor’s and kube-state-metrics’', async () => {
    const all = await scrape();
    const pod = expect.stringMatching(/^maestro-orchestrator-[a-z0-9]+-[a-z0-9]+$/);
    const own = all.find((s) => s.name === 'maestro_orchestration_requests_total' && s.labels.namespace === PROD)!;
    expect(own.labels).toEqual({ namespace: PROD, pod, container: MAESTRO, service: MAESTRO });
    const cadvisor = all.find((s) => s.name === 'container_memory_working_set_bytes' && s.labels.namespace === PROD && s.labels.container === MAESTRO)!;
    expect(cadvisor.labels).toEqual({ namespace: PROD, pod, container: MAESTRO });
    const ksm = all.find((s) => s.name === 'kube_pod_container_resource_limits' && s.labels.container === MAESTRO && s.labels.resource === 'memory')!;
    expect(ksm.labels).toEqual({ namespace: PROD, pod, container: MAESTRO, resource: 'memory', unit: 'byte' });
    const http = all.find((s) => s.name === 'http_requests_total' && s.labels.status === '500')!;
    expect(http.labels).toMatchObject({ service: 'notification-agent', container: 'notification-agent' });
  });

  it('exports one series per ready pod', async () => {
    const deployment = await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD });
    const pods = new Set((await scrape()).filter((s) => s.name === 'maestro_orchestration_requests_total' && s.labels.namespace === PROD).map((s) => s.labels.pod));
    expect(pods.size).toBe(deployment.status?.readyReplicas);
  });

  it('counts errors at the rate that gives the built-in error rate: critical on the bad release, healthy after the rollback', { timeout: 20_000 }, async () => {
    const bad = await scrapedErrorRatio();
    const indicator = catalog.services[MAESTRO]!.indicators.error_rate!;
    expect(bad).toBeGreaterThan(indicator.critical);
    expect(bad).toBeCloseTo(await builtIn(errorRateQuery), 2);

    const oldPods = new Set((await scrape()).filter((s) => s.name === 'maestro_orchestration_requests_total' && s.labels.namespace === PROD).map((s) => s.labels.pod));
    await c.apps.patchNamespacedDeployment(
      { name: MAESTRO, namespace: PROD, body: { spec: { template: { spec: { containers: [{ name: MAESTRO, image: IMAGE('v2.7.3') }] } } } } },
      strategic,
    );
    await waitFor(async () => rolledOut(await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD })), 'the rollback');
    const after = await scrape();
    // The old pods are gone, and so are their series.
    expect(after.filter((s) => s.name === 'maestro_orchestration_requests_total' && oldPods.has(s.labels.pod!))).toEqual([]);
    const good = await scrapedErrorRatio();
    expect(good).toBeLessThan(indicator.warning);
    expect(good).toBeCloseTo(await builtIn(errorRateQuery), 2);
  });
});
