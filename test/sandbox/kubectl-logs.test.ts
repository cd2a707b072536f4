import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactText } from '../../src/core/redact.js';
import { logs } from '../../src/verbs/logs/logs.js';
import { type Harness, noProgress, startHarness } from '../kubernetes/sandbox.js';
import { findKubectl } from '../support/kubectl-path.js';

const run = promisify(execFile);


const kubectlPath = findKubectl();
if (!kubectlPath) console.warn('kubectl is not on PATH: skipping the logs fidelity tests against real kubectl');

const PROD = 'intelgraph-prod';
const SELECTOR = 'app=maestro-orchestrator';

describe.skipIf(!kubectlPath)('logs agrees with real kubectl logs on the sandbox', () => {
  let h: Harness;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(kubectlPath!, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), '-n', PROD, ...args], { timeout: 30_000 });
    return stdout;
  };
  /** kubectl shows secrets as the container wrote them; the bot never does. */
  const asTheBotShows = (out: string) => out.trimEnd().split('\n').map(redactText);

  beforeEach(async () => {
    h = await startHarness();
    dir = await mkdtemp(join(tmpdir(), 'sandbox-kubectl-logs-'));
    await h.sb.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  afterEach(async () => {
    await h.sb.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('--previous shows what kubectl logs --previous shows for an OOM-killed pod', { timeout: 30_000 }, async () => {
    const [first] = await h.k8s.listPods(PROD, SELECTOR);
    h.sb.oomKill(PROD, first!.name);
    const expected = asTheBotShows(await kubectl('logs', first!.name, '--previous', '--tail=100'));
    const result = await logs.execute(h.ctx(), { service: 'maestro-orchestrator', pod: first!.name, previous: true, tail: 100 }, noProgress);
    expect(expected).toHaveLength(100);
    expect(result.output!.lines).toEqual(expected);
  });

  it('refuses --previous where kubectl logs --previous finds no previous container', { timeout: 30_000 }, async () => {
    const [first] = await h.k8s.listPods(PROD, SELECTOR);
    await expect(kubectl('logs', first!.name, '--previous')).rejects.toThrow(`previous terminated container "maestro-orchestrator" in pod "${first!.name}" not found`);
    await expect(logs.execute(h.ctx(), { service: 'maestro-orchestrator', pod: first!.name, previous: true }, noProgress)).rejects.toThrow(/has no previous run/);
  });

  it('--tail N of one pod is kubectl logs --tail=N of it', { timeout: 30_000 }, async () => {
    const [first] = await h.k8s.listPods(PROD, SELECTOR);
    const result = await logs.execute(h.ctx(), { service: 'maestro-orchestrator', pod: first!.name, tail: 20 }, noProgress);
    const expected = asTheBotShows(await kubectl('logs', first!.name, '--tail=20', '--since=10m'));
    expect(result.message.code!.split('\n')).toEqual(expected);
  });

  it('orders lines as kubectl logs --timestamps stamps them, across every pod', { timeout: 30_000 }, async () => {
    const pods = (await h.k8s.listPods(PROD, SELECTOR)).map((p) => p.name);
    const stamped = (await Promise.all(pods.map(async (pod) => (await kubectl('logs', pod, '--timestamps', '--tail=30', '--since=10m')).trimEnd().split('\n').map((line) => ({ pod, line })))))
      .flat()
      .map(({ pod, line }) => ({ at: line.slice(0, line.indexOf(' ')), shown: `${pod}: ${redactText(line.slice(line.indexOf(' ') + 1))}` }));
    const expected = [...stamped].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((s) => s.shown).slice(-30);
    const result = await logs.execute(h.ctx(), { service: 'maestro-orchestrator', tail: 30 }, noProgress);
    expect(result.output?.lines ?? result.message.code!.split('\n')).toEqual(expected);
  });
});
