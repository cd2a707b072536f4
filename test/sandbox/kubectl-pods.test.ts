import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletePod } from '../../src/verbs/delete-pod/delete-pod.js';
import { hpaSet } from '../../src/verbs/hpa/hpa-set.js';
import { formatCpu, formatMemory } from '../../src/verbs/pods/pod-rows.js';
import { pods } from '../../src/verbs/pods/pods.js';
import { type Harness, noProgress, startHarness } from '../kubernetes/sandbox.js';
import { waitFor } from '../support/wait-for.js';
import { findKubectl } from '../support/kubectl-path.js';

const run = promisify(execFile);


const kubectlPath = findKubectl();
if (!kubectlPath) console.warn('kubectl is not on PATH: skipping the pods/hpa/delete-pod fidelity tests against real kubectl');

const PROD = 'intelgraph-prod';
const SELECTOR = 'app=maestro-orchestrator';
const AGENTS = 'agents-prod';

/** Columns of `kubectl get/top` output, header dropped, split on runs of spaces. */
function rows(out: string): string[][] {
  return out
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s{2,}/));
}

/** What two sandboxes' objects have in common once generated names, uids, times, addresses and usage (which follows the pods' random names) are set aside. */
function comparable(obj: unknown): unknown {
  return JSON.parse(JSON.stringify(obj), (key, value) => {
    if (['uid', 'resourceVersion', 'creationTimestamp', 'lastTransitionTime', 'lastScaleTime', 'containerID', 'podIP', 'startTime', 'startedAt', 'finishedAt', 'managedFields', 'currentMetrics'].includes(key)) return undefined;
    if (key === 'name' && typeof value === 'string') return value.replace(/-[a-z0-9]{5}$/, '-*');
    return value;
  });
}

describe.skipIf(!kubectlPath)('pods, hpa set and delete-pod agree with real kubectl on the sandbox', () => {
  let a: Harness;
  let b: Harness;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(kubectlPath!, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 });
    return stdout;
  };

  beforeEach(async () => {
    [a, b] = await Promise.all([startHarness(), startHarness()]);
    dir = await mkdtemp(join(tmpdir(), 'sandbox-kubectl-pods-'));
  });
  afterEach(async () => {
    await Promise.all([a.sb.close(), b.sb.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('pods reports what kubectl get pods -o wide shows: ready, status, restarts, IP and node', { timeout: 30_000 }, async () => {
    await a.sb.writeKubeconfig(join(dir, 'kubeconfig'));
    const [first, second] = await a.k8s.listPodDetails(PROD, SELECTOR);
    a.sb.oomKill(PROD, first!.name);
    a.sb.failReadiness(PROD, second!.name);
    a.sb.tick();
    const wide = rows(await kubectl('-n', PROD, 'get', 'pods', '-l', SELECTOR, '-o', 'wide'));
    const facts = (await pods.execute(a.ctx(), { service: 'maestro-orchestrator' }, noProgress)).facts!;
    expect(facts.pods.map((p) => [p.name, p.containersReady, p.status, String(p.restarts), p.ip, p.node])).toEqual(
      wide.map(([name, ready, status, restarts, , ip, node]) => [name, ready, status, restarts!.split(' ')[0], ip, node]),
    );
    expect(facts.pods.find((p) => p.name === first!.name)!.lastTerminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(facts.pods.find((p) => p.name === second!.name)!.containersReady).toBe('0/1');
  });

  it('pods reports the CPU and memory kubectl top pods shows, from the same metrics.k8s.io', { timeout: 30_000 }, async () => {
    await a.sb.writeKubeconfig(join(dir, 'kubeconfig'));
    const top = rows(await kubectl('-n', PROD, 'top', 'pods', '-l', SELECTOR));
    const facts = (await pods.execute(a.ctx(), { service: 'maestro-orchestrator' }, noProgress)).facts!;
    expect(facts.metrics).toEqual({ available: true });
    expect(facts.pods.map((p) => [p.name, formatCpu(p.usage?.cpuMilli), formatMemory(p.usage?.memoryBytes)])).toEqual(top.map((r) => r.slice(0, 3)));
  });

  it('hpa set leaves the autoscaler and its deployment as kubectl patch hpa does', { timeout: 60_000 }, async () => {
    const args = { service: 'notification-agent', min: 4, max: 15 };
    const ctx = a.ctx();
    await hpaSet.execute(ctx, args, noProgress, await hpaSet.plan!(ctx, args));
    await b.sb.writeKubeconfig(join(dir, 'kubeconfig'));
    await kubectl('-n', AGENTS, 'patch', 'hpa', 'notification-agent', '-p', '{"spec":{"minReplicas":4,"maxReplicas":15}}');
    const ref = { namespace: AGENTS, deployment: 'notification-agent' };
    await waitFor(async () => (await b.k8s.readDeployment(ref)).ready === 4, { what: 'kubectl side rescaled', timeoutMs: 20_000 });
    await waitFor(async () => (await a.k8s.readAutoscaler(AGENTS, 'notification-agent')).current === 4, { what: 'bot side status', timeoutMs: 20_000 });
    await waitFor(async () => (await b.k8s.readAutoscaler(AGENTS, 'notification-agent')).current === 4, { what: 'kubectl side status', timeoutMs: 20_000 });
    const hpaOf = async (h: Harness) => JSON.parse(await kubectlOn(h, '-n', AGENTS, 'get', 'hpa', 'notification-agent', '-o', 'json'));
    const [mine, theirs] = [await hpaOf(a), await hpaOf(b)];
    expect(mine.spec).toEqual({ ...theirs.spec, minReplicas: 4, maxReplicas: 15 });
    expect(comparable(mine)).toEqual(comparable(theirs));
    expect((await a.k8s.readDeployment(ref)).desired).toBe((await b.k8s.readDeployment(ref)).desired);
  });

  it('delete-pod leaves the same pods, ReplicaSet and events as kubectl delete pod --grace-period', { timeout: 60_000 }, async () => {
    // The same stuck pod on both sides: the first pod of each sandbox fails its readiness probe.
    const stuck = async (h: Harness) => (await h.k8s.listPodDetails(PROD, SELECTOR))[0]!.name;
    const [mineStuck, theirStuck] = [await stuck(a), await stuck(b)];
    a.sb.failReadiness(PROD, mineStuck);
    b.sb.failReadiness(PROD, theirStuck);
    a.sb.tick();
    b.sb.tick();
    const ctx = a.ctx();
    const args = { service: 'maestro-orchestrator', gracePeriod: 5 };
    const plan = await deletePod.plan!(ctx, args);
    expect(plan.data.pod).toBe(mineStuck);
    await deletePod.execute(ctx, args, noProgress, plan);
    await b.sb.writeKubeconfig(join(dir, 'kubeconfig'));
    // kubectl waits until the pod is gone, as it does by default.
    await kubectl('-n', PROD, 'delete', 'pod', theirStuck, '--grace-period=5');
    await waitFor(async () => !(await a.k8s.listPodDetails(PROD, SELECTOR)).some((p) => p.name === mineStuck), { what: 'old pod gone', timeoutMs: 20_000 });
    const podsOf = async (h: Harness) => comparable(JSON.parse(await kubectlOn(h, '-n', PROD, 'get', 'pods', '-l', SELECTOR, '-o', 'json')).items);
    expect(await podsOf(a)).toEqual(await podsOf(b));
    const rsOf = async (h: Harness) => comparable(JSON.parse(await kubectlOn(h, '-n', PROD, 'get', 'rs', '-l', SELECTOR, '-o', 'json')).items);
    expect(await rsOf(a)).toEqual(await rsOf(b));
    const killing = async (h: Harness, pod: string) => (await h.k8s.listEvents(PROD)).filter((e) => e.reason === 'Killing' && e.object === `Pod/${pod}`).length;
    expect([await killing(a, mineStuck), await killing(b, theirStuck)]).toEqual([1, 1]);
  });

  /** kubectl against either sandbox: each has its own kubeconfig file. */
  async function kubectlOn(h: Harness, ...args: string[]): Promise<string> {
    const file = join(dir, `kubeconfig-${h === a ? 'a' : 'b'}`);
    await h.sb.writeKubeconfig(file);
    const { stdout } = await run(kubectlPath!, ['--kubeconfig', file, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 });
    return stdout;
  }
});
