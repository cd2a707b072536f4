import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE, MAESTRO, PROD, revisionOf, startTestCluster, statusOf, type TestCluster, waitFor, waitForRollout } from './support.js';

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const ns = PROD;
const name = MAESTRO;

describe('sandbox driven by @kubernetes/client-node', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = await startTestCluster();
  });
  afterEach(() => c.sandbox.close());

  it('scales through the scale subresource and brings the new pods up Ready', async () => {
    const scale = await c.apps.patchNamespacedDeploymentScale({ name, namespace: ns, body: { spec: { replicas: 4 } } }, merge);
    expect(scale.spec?.replicas).toBe(4);
    const d = await waitForRollout(c.apps);
    expect(d.status?.readyReplicas).toBe(4);
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    expect(pods.items).toHaveLength(4);
  });

  it('rolls a template change out as a new ReplicaSet at the next revision', async () => {
    await c.apps.patchNamespacedDeployment(
      { name, namespace: ns, body: { spec: { template: { spec: { containers: [{ name, image: IMAGE('v2.8.1') }] } } } } },
      strategic,
    );
    const d = await waitForRollout(c.apps);
    expect(revisionOf(d)).toBe(8);
    const rs = await c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const current = rs.items.find((r) => revisionOf(r) === 8)!;
    expect(current.spec?.template?.spec?.containers[0]?.image).toBe(IMAGE('v2.8.1'));
    expect(current.metadata?.labels?.['pod-template-hash']).toBeTruthy();
    expect(rs.items.filter((r) => r !== current).every((r) => r.spec?.replicas === 0)).toBe(true);
  });

  it('reports Progressing NewReplicaSetAvailable and Available once a rollout completes', async () => {
    await c.apps.patchNamespacedDeployment({ name, namespace: ns, body: { spec: { template: { spec: { containers: [{ name, image: IMAGE('v2.8.1') }] } } } } }, strategic);
    const d = await waitForRollout(c.apps);
    const byType = Object.fromEntries((d.status?.conditions ?? []).map((k) => [k.type, k]));
    expect(byType.Progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(byType.Available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
  });

  it('restarts on a kubectl.kubernetes.io/restartedAt template annotation', async () => {
    const before = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const at = new Date().toISOString();
    await c.apps.patchNamespacedDeployment(
      { name, namespace: ns, body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } } },
      strategic,
    );
    const d = await waitForRollout(c.apps);
    expect(revisionOf(d)).toBe(8);
    const after = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const oldNames = new Set(before.items.map((p) => p.metadata?.name));
    expect(after.items.some((p) => oldNames.has(p.metadata?.name))).toBe(false);
  });

  it('merges container env by name in a strategic merge patch', async () => {
    await c.apps.patchNamespacedDeployment(
      { name: 'notification-agent', namespace: 'agents-prod', body: { spec: { template: { spec: { containers: [{ name: 'notification-agent', env: [{ name: 'LLMProvider__ProviderType', value: 'Ollama' }] }] } } } } },
      strategic,
    );
    const d = await c.apps.readNamespacedDeployment({ name: 'notification-agent', namespace: 'agents-prod' });
    const env = d.spec?.template.spec?.containers[0]?.env;
    expect(env).toEqual([
      { name: 'LLMProvider__ProviderType', value: 'Ollama' },
      { name: 'LLMProvider__AzureOpenAI__Endpoint', value: 'https://oai-agents.openai.azure.com/' },
    ]);
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('ghcr.io/intelgraph/notification-agent:v1.2.0');
  });

  it('patches a ConfigMap key with a merge patch', async () => {
    await c.core.patchNamespacedConfigMap({ name: 'maestro-config', namespace: ns, body: { data: { CIRCUIT_BREAKER_ENABLED: 'true' } } }, merge);
    const cm = await c.core.readNamespacedConfigMap({ name: 'maestro-config', namespace: ns });
    expect(cm.data?.CIRCUIT_BREAKER_ENABLED).toBe('true');
    expect(cm.data?.PREMIUM_ROUTING_ENABLED).toBe('true');
  });

  it('applies a JSON patch to a deployment', async () => {
    await c.apps.patchNamespacedDeployment({ name, namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] }, jsonPatch);
    const d = await c.apps.readNamespacedDeployment({ name, namespace: ns });
    expect(d.spec?.replicas).toBe(3);
  });

  it('answers 409 Conflict to an update carrying a stale resourceVersion', async () => {
    const stale = await c.apps.readNamespacedDeployment({ name, namespace: ns });
    await c.apps.patchNamespacedDeployment({ name, namespace: ns, body: { metadata: { labels: { touched: 'yes' } } } }, merge);
    const body: V1Deployment = { ...stale, spec: { ...stale.spec!, replicas: 5 } };
    const status = await statusOf(c.apps.replaceNamespacedDeployment({ name, namespace: ns, body }));
    expect(status).toMatchObject({ code: 409, reason: 'Conflict', kind: 'Status' });
  });

  it('accepts an update carrying the current resourceVersion and bumps generation', async () => {
    const current = await c.apps.readNamespacedDeployment({ name, namespace: ns });
    const updated = await c.apps.replaceNamespacedDeployment({ name, namespace: ns, body: { ...current, spec: { ...current.spec!, replicas: 3 } } });
    expect(updated.metadata?.generation).toBe((current.metadata?.generation ?? 0) + 1);
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(current.metadata?.resourceVersion));
  });

  it('serves pod logs with tailLines', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const log = await c.core.readNamespacedPodLog({ name: pods.items[0]!.metadata!.name!, namespace: ns, tailLines: 20 });
    const lines = log.trimEnd().split('\n');
    expect(lines).toHaveLength(20);
  });

  it('logs errors with stack traces for the faulty release', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const log = await c.core.readNamespacedPodLog({ name: pods.items[0]!.metadata!.name!, namespace: ns, sinceSeconds: 600 });
    expect(log).toMatch(/^\S+Z ERROR/m);
    expect(log).toMatch(/^ {4}at /m);
  });

  it('leaks a secret-looking string now and then, for redaction tests', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const log = await c.core.readNamespacedPodLog({ name: pods.items[0]!.metadata!.name!, namespace: ns });
    expect(log).toMatch(/redis:\/\/:[^@\s]+@|password=\S+/);
  });

  it('honours sinceSeconds in pod logs', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const podName = pods.items[0]!.metadata!.name!;
    const all = await c.core.readNamespacedPodLog({ name: podName, namespace: ns });
    const recent = await c.core.readNamespacedPodLog({ name: podName, namespace: ns, sinceSeconds: 60 });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
  });

  it('lists events for a deployment by involvedObject fields', async () => {
    await c.apps.patchNamespacedDeploymentScale({ name, namespace: ns, body: { spec: { replicas: 3 } } }, merge);
    await waitForRollout(c.apps);
    const events = await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.kind=Deployment,involvedObject.name=${name}` });
    expect(events.items.map((e) => e.message)).toContainEqual(expect.stringMatching(/^Scaled up replica set maestro-orchestrator-\w+ from 2 to 3$/));
    expect(events.items.every((e) => e.involvedObject.name === name && e.reason === 'ScalingReplicaSet')).toBe(true);
  });

  it('never makes pods of an image marked bad Ready, and times the rollout out', async () => {
    c.sandbox.markImageBad(IMAGE('v9.9.9'));
    await c.apps.patchNamespacedDeployment(
      { name, namespace: ns, body: { spec: { progressDeadlineSeconds: 10, template: { spec: { containers: [{ name, image: IMAGE('v9.9.9') }] } } } } },
      strategic,
    );
    const d = await waitFor(async () => {
      const got = await c.apps.readNamespacedDeployment({ name, namespace: ns });
      const progressing = got.status?.conditions?.find((k) => k.type === 'Progressing');
      return progressing?.reason === 'ProgressDeadlineExceeded' ? got : undefined;
    }, 'ProgressDeadlineExceeded');
    expect(d.status?.conditions?.find((k) => k.type === 'Progressing')?.status).toBe('False');
    expect(d.status?.readyReplicas).toBe(2);
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const bad = pods.items.filter((p) => p.spec?.containers[0]?.image === IMAGE('v9.9.9'));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((p) => p.status?.containerStatuses?.[0]?.ready === false)).toBe(true);
    expect(bad[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
  });

  it('recreates a deleted pod', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
    const victim = pods.items[0]!.metadata!.name!;
    await c.core.deleteNamespacedPod({ name: victim, namespace: ns });
    await waitFor(async () => {
      const now = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=maestro-orchestrator' });
      return now.items.length === 2 && !now.items.some((p) => p.metadata?.name === victim) && now.items.every((p) => p.status?.containerStatuses?.[0]?.ready);
    }, 'a replacement pod');
  });
});
