import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE, MAESTRO, PROD, revisionOf, startTestCluster, type TestCluster, waitForRollout } from './support.js';
import { findKubectl } from '../support/kubectl-path.js';

const run = promisify(execFile);


const kubectlPath = findKubectl();
if (!kubectlPath) console.warn('kubectl is not on PATH: skipping the sandbox fidelity tests against real kubectl');

describe.skipIf(!kubectlPath)('sandbox fidelity with real kubectl', () => {
  let c: TestCluster;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(kubectlPath!, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), '-n', PROD, ...args], {
      timeout: 30_000,
    });
    return stdout;
  };

  beforeEach(async () => {
    c = await startTestCluster({ rolloutIntervalMs: 30 });
    dir = await mkdtemp(join(tmpdir(), 'sandbox-kubectl-'));
    await c.sandbox.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  afterEach(async () => {
    await c.sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('kubectl get deploy -A lists every seeded deployment with READY columns', async () => {
    const out = await kubectl('get', 'deploy', '-A');
    expect(out).toMatch(/^NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(out).toMatch(/intelgraph-prod\s+maestro-orchestrator\s+2\/2\s+2\s+2\s+/);
    expect(out).toMatch(/agents-prod\s+notification-agent\s+3\/3/);
  });

  it('kubectl rollout history shows revisions 5, 6 and 7 with their change causes', async () => {
    const out = await kubectl('rollout', 'history', `deploy/${MAESTRO}`);
    expect(out).toMatch(/5\s+release v2\.7\.2/);
    expect(out).toMatch(/6\s+release v2\.7\.3/);
    expect(out).toMatch(/7\s+release v2\.8\.0/);
  });

  it('kubectl rollout undo --to-revision=6 runs v2.7.3 at revision 8', async () => {
    await kubectl('rollout', 'undo', `deploy/${MAESTRO}`, '--to-revision=6');
    const d = await waitForRollout(c.apps);
    expect(d.spec?.template.spec?.containers[0]?.image).toBe(IMAGE('v2.7.3'));
    expect(revisionOf(d)).toBe(8);
    const history = await kubectl('rollout', 'history', `deploy/${MAESTRO}`);
    expect(history).toMatch(/8\s+release v2\.7\.3/);
    expect(history).not.toMatch(/^6\s/m);
  });

  it('kubectl rollout status waits on a watch until the rollout completes', async () => {
    await kubectl('rollout', 'undo', `deploy/${MAESTRO}`);
    const out = await kubectl('rollout', 'status', `deploy/${MAESTRO}`, '--timeout=20s');
    expect(out).toContain(`deployment "${MAESTRO}" successfully rolled out`);
    const d = await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD });
    expect(d.status?.updatedReplicas).toBe(2);
  });

  it('kubectl rollout status fails when the image is bad and the deadline passes', async () => {
    c.sandbox.markImageBad(IMAGE('v9.9.9'));
    await kubectl('patch', `deploy/${MAESTRO}`, '-p', '{"spec":{"progressDeadlineSeconds":20}}');
    await kubectl('set', 'image', `deploy/${MAESTRO}`, `${MAESTRO}=${IMAGE('v9.9.9')}`);
    const failed = kubectl('rollout', 'status', `deploy/${MAESTRO}`, '--timeout=20s');
    await expect(failed).rejects.toThrow(/exceeded its progress deadline/);
  });

  it('kubectl rollout restart rolls new pods and the client reads the restartedAt annotation', async () => {
    await kubectl('rollout', 'restart', `deploy/${MAESTRO}`);
    await kubectl('rollout', 'status', `deploy/${MAESTRO}`, '--timeout=20s');
    const d = await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD });
    expect(d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(revisionOf(d)).toBe(8);
  });

  it('kubectl scale --replicas changes spec.replicas through the scale subresource', async () => {
    await kubectl('scale', `deploy/${MAESTRO}`, '--replicas=5');
    const d = await waitForRollout(c.apps);
    expect(d.spec?.replicas).toBe(5);
    expect(d.status?.readyReplicas).toBe(5);
  });

  it('kubectl set env adds a variable to the container and keeps the others', async () => {
    await kubectl('set', 'env', 'deploy/notification-agent', '-n', 'agents-prod', 'LLMProvider__ProviderType=Ollama', 'EXTRA=1');
    const d = await c.apps.readNamespacedDeployment({ name: 'notification-agent', namespace: 'agents-prod' });
    expect(d.spec?.template.spec?.containers[0]?.env).toEqual([
      { name: 'LLMProvider__ProviderType', value: 'Ollama' },
      { name: 'LLMProvider__AzureOpenAI__Endpoint', value: 'https://oai-agents.openai.azure.com/' },
      { name: 'EXTRA', value: '1' },
    ]);
  });

  it('kubectl logs deploy/... tails a pod of the deployment', async () => {
    const out = await kubectl('logs', `deploy/${MAESTRO}`, '--tail=5');
    expect(out.trimEnd().split('\n')).toHaveLength(5);
  });

  it('kubectl get events lists the controller events', async () => {
    await kubectl('scale', `deploy/${MAESTRO}`, '--replicas=3');
    await waitForRollout(c.apps);
    const out = await kubectl('get', 'events');
    expect(out).toMatch(/ScalingReplicaSet\s+deployment\/maestro-orchestrator\s+Scaled up replica set/);
  });
});
