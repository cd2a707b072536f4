import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { hpa } from '../../src/verbs/hpa/hpa.js';
import { hpaSet } from '../../src/verbs/hpa/hpa-set.js';
import { METRICS_UNAVAILABLE, pods } from '../../src/verbs/pods/pods.js';
import { scale } from '../../src/verbs/scale/scale.js';
import { actionContext, catalog } from '../actions/context.js';
import { FakeKubernetes } from '../actions/fake-kubernetes.js';
import { type Harness, noProgress, ORCHESTRATOR, startHarness } from './sandbox.js';

const PROD = 'intelgraph-prod';
const SELECTOR = 'app=maestro-orchestrator';
const orchestrator = { service: 'maestro-orchestrator' };
const MiB = 2 ** 20;
const baseContext = () => actionContext(new FakeKubernetes());

describe('pods against the sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  it("reports each pod's requests and limits", async () => {
    const facts = (await pods.execute(h.ctx(), orchestrator, noProgress)).facts!;
    for (const p of facts.pods) {
      expect(p.requests).toEqual({ cpuMilli: 250, memoryBytes: 256 * MiB });
      expect(p.limits).toEqual({ cpuMilli: 1000, memoryBytes: 512 * MiB });
    }
  });

  it('names an OOM-killed container with its exit code', async () => {
    const [first] = await h.k8s.listPodDetails(PROD, SELECTOR);
    h.sb.oomKill(PROD, first!.name);
    const message = (await pods.execute(h.ctx(), orchestrator, noProgress)).message;
    expect(message.code).toContain(`${first!.name}: last run of maestro-orchestrator ended OOMKilled (exit code 137)`);
    expect(message.severity).toBe('warning');
  });

  it("reports readiness-probe failures from the kubelet's Unhealthy events", async () => {
    const [first] = await h.k8s.listPodDetails(PROD, SELECTOR);
    h.sb.failReadiness(PROD, first!.name);
    h.sb.tick();
    h.sb.tick();
    const { facts, message } = await pods.execute(h.ctx(), orchestrator, noProgress);
    const row = facts!.pods.find((p) => p.name === first!.name)!;
    expect(row.ready).toBe(false);
    expect(row.readinessFailures).toMatchObject({ message: 'Readiness probe failed: HTTP probe failed with statuscode: 503' });
    expect(row.readinessFailures!.count).toBeGreaterThanOrEqual(2);
    expect(message.code).toMatch(/readiness probe failed \d+×, last \d+s ago: HTTP probe failed with statuscode: 503/);
  });

  it('says metrics are unavailable when the cluster has no metrics-server', async () => {
    const bare = await startSandbox({ catalog, rolloutIntervalMs: 30, metricsServer: false });
    try {
      const ctx = { ...h.ctx(), ports: { kubernetes: kubernetesFromConfig(bare.kubeConfig()) } };
      const { facts, message } = await pods.execute(ctx, orchestrator, noProgress);
      expect(facts!.metrics).toEqual({ available: false, status: 404 });
      expect(message.fields).toContainEqual({ label: 'CPU / memory', value: `${METRICS_UNAVAILABLE} (metrics.k8s.io answered 404)` });
      expect(facts!.pods).toHaveLength(2);
    } finally {
      await bare.close();
    }
  });
});

describe('pods where metrics.k8s.io refuses or is down', () => {
  // Only the verb's reading of the answer is at stake: a port of just the three calls it makes.
  const detail = { name: 'p-1', uid: 'u', phase: 'Running', ready: true, terminating: false, labels: {}, containers: [] };
  const withUsage = (unavailable: number) => ({
    ...baseContext(),
    ports: { kubernetes: { listPodDetails: async () => [detail], podUsage: async () => ({ unavailable }), listEvents: async () => [] } },
  });

  it.each([
    [403, 'metrics unavailable: the bot may not list pods.metrics.k8s.io in intelgraph-prod (grant it in manifests/k8s/base/rbac.yaml)'],
    [503, 'metrics unavailable: metrics.k8s.io answered 503 (metrics-server registered but not running?)'],
  ])('says why there are no figures when it answers %i', async (status, text) => {
    const { message } = await pods.execute(withUsage(status), orchestrator, noProgress);
    expect(message.fields).toContainEqual({ label: 'CPU / memory', value: text });
  });
});

describe('hpa and hpa set against the sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  const agent = { service: 'notification-agent' };
  const AGENTS = { namespace: 'agents-prod', deployment: 'notification-agent' };

  it('shows min, max, current and desired replicas and the CPU target', async () => {
    const { message, facts } = await hpa.execute(h.ctx(), agent, noProgress);
    expect(facts!.autoscaler).toMatchObject({ name: 'notification-agent', min: 3, max: 10 });
    expect(message.fields).toContainEqual({ label: 'Min / max', value: '3 / 10' });
    expect(message.fields).toContainEqual({ label: 'Current / desired', value: '3 / 3' });
    expect(message.fields!.find((f) => f.label === 'Targets (current / target)')!.value).toMatch(/^cpu: \d\d% \/ 60% \(Utilization\)$/);
  });

  it('says when no autoscaler targets the service', async () => {
    const { message, facts } = await hpa.execute(h.ctx(), { service: 'maestro-premium-router' }, noProgress);
    expect(facts!.autoscaler).toBeUndefined();
    expect(message.text).toBe('No HorizontalPodAutoscaler targets deployment/maestro-premium-router in intelgraph-maestro: its replicas are what `scale` sets.');
  });

  it('raises the bounds and waits until the autoscaler has the replicas within them', async () => {
    const ctx = h.ctx();
    const args = { ...agent, min: 5, max: 15 };
    const plan = await hpaSet.plan!(ctx, args);
    expect(plan.changes).toEqual([
      { what: 'minReplicas', from: '3', to: '5' },
      { what: 'maxReplicas', from: '10', to: '15' },
    ]);
    expect(plan.summary).toContain('it will then scale notification-agent from 3 to 5 replicas');
    const result = await hpaSet.execute(ctx, args, noProgress, plan);
    expect(result.outcome).toBe('done');
    expect(result.facts).toMatchObject({ to: { min: 5, max: 15 }, replicas: 5 });
    expect(await h.k8s.readAutoscaler('agents-prod', 'notification-agent')).toMatchObject({ min: 5, max: 15 });
    expect((await h.k8s.readDeployment(AGENTS)).ready).toBe(5);
  });

  it('patches once when the job runs twice with the same plan', async () => {
    const ctx = h.ctx();
    const args = { ...agent, max: 12 };
    const plan = await hpaSet.plan!(ctx, args);
    await hpaSet.execute(ctx, args, noProgress, plan);
    // Any patch from here on answers 409 until the retries give up: a second patch would fail the run.
    h.sb.injectConflicts({ resource: 'horizontalpodautoscalers', namespace: 'agents-prod', name: 'notification-agent', count: 10 });
    const again = await hpaSet.execute(ctx, args, noProgress, plan);
    expect(again.outcome).toBe('done');
    expect(again.message.text).toMatch(/^The bounds were already set; /);
  });

  it.each([
    [{ min: 5, max: 3 }, '--min 5 is above --max 3: the minimum cannot exceed the maximum'],
    [{ min: 12 }, "--min 12 is above --max 10 (the autoscaler's current max): the minimum cannot exceed the maximum"],
    [{ max: 16 }, 'notification-agent in prod may run between 3 and 15 replicas (catalog); min 3, max 16 goes outside that'],
    [{ min: 2 }, 'notification-agent in prod may run between 3 and 15 replicas (catalog); min 2, max 10 goes outside that'],
    [{}, 'say what to change: hpa set notification-agent --min N --max M (now min 3, max 10)'],
  ])('refuses %j with a clear error and changes nothing', async (bounds, error) => {
    const before = await h.k8s.readAutoscaler('agents-prod', 'notification-agent');
    await expect(hpaSet.plan!(h.ctx(), { ...agent, ...bounds })).rejects.toThrow(error);
    expect(await h.k8s.readAutoscaler('agents-prod', 'notification-agent')).toEqual(before);
    expect(h.sb.served().filter((r) => r.verb === 'patch')).toEqual([]);
  });

  it('refuses a service no autoscaler targets, pointing at scale', async () => {
    await expect(hpaSet.plan!(h.ctx(), { service: 'maestro-premium-router', max: 4 })).rejects.toThrow(
      'no HorizontalPodAutoscaler targets deployment/maestro-premium-router in intelgraph-maestro; set its replicas with: scale maestro-premium-router N',
    );
  });

  it('scale warns in its plan that the autoscaler will undo a number above its maximum', async () => {
    const plan = await scale.plan!(h.ctx(), { ...orchestrator, replicas: 9 });
    expect(plan.summary).toBe(
      'scale maestro-orchestrator in prod from 2 to 9 replicas; warning: HorizontalPodAutoscaler maestro-orchestrator (min 2, max 7) manages this deployment and will scale it back to 7',
    );
  });

  it('scale says the autoscaler may move a number within its bounds', async () => {
    const plan = await scale.plan!(h.ctx(), { ...orchestrator, replicas: 5 });
    expect(plan.summary).toContain('HorizontalPodAutoscaler maestro-orchestrator (min 2, max 7) manages this deployment and may change the number as load changes');
  });

  it('scale has no warning where no autoscaler targets the deployment', async () => {
    const plan = await scale.plan!(h.ctx(), { service: 'victor-coordinators', replicas: 3 });
    expect(plan.summary).toBe('scale victor-coordinators in prod from 2 to 3 replicas');
  });

  it('scale still plans when the bot may not list autoscalers, saying it could not check', async () => {
    h.sb.deny({ verb: 'list', resource: 'horizontalpodautoscalers' });
    const plan = await scale.plan!(h.ctx(), { ...orchestrator, replicas: 5 });
    expect(plan.summary).toBe(
      "scale maestro-orchestrator in prod from 2 to 5 replicas; could not check for an autoscaler: the bot's service account may not list horizontalpodautoscalers in intelgraph-prod: grant it in manifests/k8s/base/rbac.yaml (scripts/k8s-rbac.ts)",
    );
  });

  it('the autoscaler brings a deployment scaled past its maximum back, as scale warned', async () => {
    await h.k8s.scale(ORCHESTRATOR, 9);
    await expect.poll(async () => (await h.k8s.readScale(ORCHESTRATOR)), { timeout: 5_000 }).toBe(7);
  });
});
