import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE, MAESTRO, PROD, revisionOf, startTestCluster, type TestCluster } from './support.js';

describe('sandbox seed from the service catalog', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = await startTestCluster();
  });
  afterEach(() => c.sandbox.close());

  it('runs maestro-orchestrator in prod at revision 7 on the faulty release v2.8.0, Ready', async () => {
    const d = await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD });
    expect(revisionOf(d)).toBe(7);
    expect(d.spec?.template.spec?.containers[0]?.image).toBe(IMAGE('v2.8.0'));
    expect(d.status?.readyReplicas).toBe(2);
    expect(c.sandbox.isFaultyRelease(IMAGE('v2.8.0'))).toBe(true);
    expect(c.sandbox.isFaultyRelease(IMAGE('v2.7.3'))).toBe(false);
  });

  it('keeps revisions 5, 6 and 7 as ReplicaSets with change causes', async () => {
    const list = await c.apps.listNamespacedReplicaSet({ namespace: PROD, labelSelector: 'app=maestro-orchestrator' });
    const history = list.items
      .map((rs) => ({ rev: revisionOf(rs), image: rs.spec?.template?.spec?.containers[0]?.image, cause: rs.metadata?.annotations?.['kubernetes.io/change-cause'] }))
      .sort((a, b) => a.rev - b.rev);
    expect(history.map((h) => [h.rev, h.image])).toEqual([
      [5, IMAGE('v2.7.2')],
      [6, IMAGE('v2.7.3')],
      [7, IMAGE('v2.8.0')],
    ]);
    expect(history.every((h) => h.cause?.includes(h.image!.split(':')[1]!))).toBe(true);
  });

  it('puts every other service at revision 3 on v1.2.0', async () => {
    const d = await c.apps.readNamespacedDeployment({ name: 'notification-agent', namespace: 'agents-prod' });
    expect(revisionOf(d)).toBe(3);
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('ghcr.io/intelgraph/notification-agent:v1.2.0');
  });

  it('sizes replicas as the env minimum but at least 2, capped at the maximum', async () => {
    const agents = await c.apps.readNamespacedDeployment({ name: 'notification-agent', namespace: 'agents-prod' });
    const staging = await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: 'intelgraph-staging' });
    expect(agents.spec?.replicas).toBe(3);
    expect(staging.spec?.replicas).toBe(2);
  });

  it('gives the container the first provider env when the service has providers', async () => {
    const d = await c.apps.readNamespacedDeployment({ name: 'notification-agent', namespace: 'agents-prod' });
    expect(d.spec?.template.spec?.containers[0]?.env).toEqual([
      { name: 'LLMProvider__ProviderType', value: 'AzureOpenAI' },
      { name: 'LLMProvider__AzureOpenAI__Endpoint', value: 'https://oai-agents.openai.azure.com/' },
    ]);
  });

  it('seeds the flags ConfigMap with the service flags', async () => {
    const cm = await c.core.readNamespacedConfigMap({ name: 'maestro-config', namespace: PROD });
    expect(cm.data).toEqual({ CIRCUIT_BREAKER_ENABLED: 'false', PREMIUM_ROUTING_ENABLED: 'true', COMPLIANCE_EMERGENCY_OVERRIDE: 'false' });
  });

  it('starts empty of workloads when seed is false', async () => {
    const empty = await startTestCluster({ seed: false });
    try {
      const list = await empty.apps.listDeploymentForAllNamespaces();
      expect(list.items).toEqual([]);
    } finally {
      await empty.sandbox.close();
    }
  });
});
