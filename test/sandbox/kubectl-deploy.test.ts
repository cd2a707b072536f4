import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeCause } from '../../src/verbs/shared/target.js';
import { deploy } from '../../src/verbs/deploy/deploy.js';
import { type Harness, image, noProgress, ORCHESTRATOR, startHarness } from '../kubernetes/sandbox.js';
import { waitFor } from '../support/wait-for.js';
import { findKubectl } from '../support/kubectl-path.js';

const run = promisify(execFile);


const kubectlPath = findKubectl();
if (!kubectlPath) console.warn('kubectl is not on PATH: skipping the deploy fidelity test against real kubectl');

const PROD = 'intelgraph-prod';
const DEPLOYMENT = `deployment/${ORCHESTRATOR.deployment}`;

/** What two sandboxes' deployments have in common once ids, versions and times are set aside. */
function comparable(obj: unknown): unknown {
  return JSON.parse(JSON.stringify(obj), (key, value) =>
    ['uid', 'resourceVersion', 'creationTimestamp', 'lastTransitionTime', 'lastUpdateTime', 'managedFields'].includes(key) ? undefined : value,
  );
}

describe.skipIf(!kubectlPath)('deploy agrees with real kubectl set image on the sandbox', () => {
  let a: Harness;
  let b: Harness;
  let dir: string;
  const kubectlOn = async (h: Harness, ...args: string[]) => {
    const config = join(dir, `kubeconfig-${h === a ? 'a' : 'b'}`);
    await h.sb.writeKubeconfig(config);
    const { stdout } = await run(kubectlPath!, ['--kubeconfig', config, '--cache-dir', join(dir, 'cache'), '-n', PROD, ...args], { timeout: 30_000 });
    return stdout;
  };

  beforeEach(async () => {
    [a, b] = await Promise.all([startHarness(), startHarness()]);
    dir = await mkdtemp(join(tmpdir(), 'sandbox-kubectl-deploy-'));
  });
  afterEach(async () => {
    await Promise.all([a.sb.close(), b.sb.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves the template, change cause and rollout history that kubectl annotate + kubectl set image leave', { timeout: 60_000 }, async () => {
    const ctx = a.ctx();
    const args = { service: 'maestro-orchestrator', imageTag: 'v2.8.1' };
    await deploy.execute(ctx, args, noProgress, await deploy.plan!(ctx, args));

    // The documented way to record a change cause now that --record is deprecated: annotate, then set image.
    await kubectlOn(b, 'annotate', DEPLOYMENT, `kubernetes.io/change-cause=${changeCause(ctx, 'deploy v2.8.1')}`, '--overwrite');
    await kubectlOn(b, 'set', 'image', DEPLOYMENT, `maestro-orchestrator=${image('v2.8.1')}`);
    await kubectlOn(b, 'rollout', 'status', DEPLOYMENT, '--timeout=30s');
    await waitFor(async () => (await a.k8s.readDeployment(ORCHESTRATOR)).ready === 2, { what: 'bot side ready', timeoutMs: 20_000 });

    const deploymentOf = async (h: Harness) => JSON.parse(await kubectlOn(h, 'get', DEPLOYMENT, '-o', 'json'));
    const [mine, theirs] = [await deploymentOf(a), await deploymentOf(b)];
    expect(mine.spec.template).toEqual(theirs.spec.template);
    expect(mine.metadata.annotations).toEqual(theirs.metadata.annotations);
    expect(comparable(mine.spec)).toEqual(comparable(theirs.spec));
    expect(await kubectlOn(a, 'rollout', 'history', DEPLOYMENT)).toBe(await kubectlOn(b, 'rollout', 'history', DEPLOYMENT));
    expect(await kubectlOn(a, 'rollout', 'history', DEPLOYMENT)).toMatch(/8\s+maestro-bot deploy v2\.8\.1 by alice/);
  });
});
