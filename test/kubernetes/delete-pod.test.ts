import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletePod } from '../../src/verbs/delete-pod/delete-pod.js';
import { type Harness, noProgress, startHarness } from './sandbox.js';

const PROD = 'intelgraph-prod';
const SELECTOR = 'app=maestro-orchestrator';
const orchestrator = { service: 'maestro-orchestrator', gracePeriod: 5 };

describe('delete-pod against the sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  const podNames = async (selector = SELECTOR) => (await h.k8s.listPodDetails(PROD, selector)).map((p) => p.name);

  it('deletes the pod that is not Ready, saying why in the plan, and waits for its Ready replacement', { timeout: 20_000 }, async () => {
    const [, second] = await podNames();
    h.sb.failReadiness(PROD, second!);
    h.sb.tick();
    const ctx = h.ctx();
    const plan = await deletePod.plan!(ctx, orchestrator);
    expect(plan.data.pod).toBe(second);
    expect(plan.summary).toContain(`delete pod ${second} of maestro-orchestrator in prod (intelgraph-prod) with a 5s grace period, picked as not Ready (Running, not Ready, 0 restarts)`);
    const result = await deletePod.execute(ctx, orchestrator, noProgress, plan);
    expect(result.outcome).toBe('done');
    const pods = await h.k8s.listPodDetails(PROD, SELECTOR);
    const replacement = pods.find((p) => p.name === result.facts!.replacement)!;
    expect(replacement.ready).toBe(true);
    expect(pods.find((p) => p.name === second)?.terminating ?? true).toBe(true);
  });

  it('picks the pod with most restarts when every pod is Ready', async () => {
    const [first] = await podNames();
    h.sb.oomKill(PROD, first!);
    const plan = await deletePod.plan!(h.ctx(), orchestrator);
    expect(plan.data.pod).toBe(first);
    expect(plan.summary).toContain('picked as the most restarts (Running, Ready, 1 restart, last run ended OOMKilled (exit 137))');
  });

  it('deletes once when the job runs twice with the same plan', { timeout: 20_000 }, async () => {
    const [first] = await podNames();
    h.sb.oomKill(PROD, first!);
    const ctx = h.ctx();
    const plan = await deletePod.plan!(ctx, orchestrator);
    await deletePod.execute(ctx, orchestrator, noProgress, plan);
    const after = await podNames();
    const again = await deletePod.execute(ctx, orchestrator, noProgress, plan);
    expect(again.facts!.alreadyDeleted).toBe(true);
    expect((await podNames()).filter((n) => !after.includes(n))).toEqual([]);
  });

  it('refuses an unknown pod, naming the service’s pods, and deletes nothing', async () => {
    const before = await podNames();
    await expect(deletePod.plan!(h.ctx(), { ...orchestrator, pod: 'maestro-orchestrator-nope' })).rejects.toThrow(
      `no pod maestro-orchestrator-nope in intelgraph-prod; maestro-orchestrator's pods: ${before.join(', ')}`,
    );
    expect(await podNames()).toEqual(before);
    expect(h.sb.served().filter((r) => r.verb === 'delete')).toEqual([]);
  });

  it("refuses another service's pod in the same namespace", async () => {
    const [victor] = await podNames('app=victor-coordinators');
    await expect(deletePod.plan!(h.ctx(), { ...orchestrator, pod: victor! })).rejects.toThrow(
      `pod ${victor} in intelgraph-prod is not one of maestro-orchestrator's pods (app=maestro-orchestrator); refusing to delete another service's pod`,
    );
    expect(h.sb.served().filter((r) => r.verb === 'delete')).toEqual([]);
  });

  it('asks for --pod when no pod is stuck', async () => {
    const names = await podNames();
    await expect(deletePod.plan!(h.ctx(), orchestrator)).rejects.toThrow(
      `all 2 pods of maestro-orchestrator are Ready and have never restarted: name the one to delete with --pod (pods: ${names.join(', ')})`,
    );
  });

  it('refuses an unknown service', async () => {
    await expect(deletePod.plan!(h.ctx(), { ...orchestrator, service: 'nope' })).rejects.toThrow(/^unknown service 'nope' \(known: /);
  });
});
