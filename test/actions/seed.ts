import { FakeKubernetes } from './fake-kubernetes.js';

export const IMAGE = (tag: string) => `ghcr.io/intelgraph/maestro-orchestrator:${tag}`;

/** The drill's starting point: maestro-orchestrator at revision 7 (the bad v2.8.0), 6 the last good one. */
export function seededCluster(): FakeKubernetes {
  const k8s = new FakeKubernetes();
  k8s.addDeployment({
    namespace: 'intelgraph-prod',
    name: 'maestro-orchestrator',
    desired: 3,
    images: { 5: IMAGE('v2.7.2'), 6: IMAGE('v2.7.3'), 7: IMAGE('v2.8.0') },
  });
  k8s.configMaps.set('intelgraph-prod/maestro-config', {
    CIRCUIT_BREAKER_ENABLED: 'false',
    PREMIUM_ROUTING_ENABLED: 'true',
    COMPLIANCE_EMERGENCY_OVERRIDE: 'false',
  });
  k8s.addDeployment({
    namespace: 'agents-prod',
    name: 'notification-agent',
    desired: 3,
    images: { 3: 'ghcr.io/intelgraph/notification-agent:v1.2.0' },
    env: {
      LLMProvider__ProviderType: 'AzureOpenAI',
      LLMProvider__AzureOpenAI__Endpoint: 'https://oai-agents.openai.azure.com/',
    },
  });
  k8s.addDeployment({
    namespace: 'intelgraph-maestro',
    name: 'maestro-premium-router',
    desired: 2,
    images: { 3: 'ghcr.io/intelgraph/maestro-premium-router:v1.2.0' },
  });
  k8s.addDeployment({
    namespace: 'intelgraph-prod',
    name: 'victor-coordinators',
    desired: 2,
    images: { 3: 'ghcr.io/intelgraph/victor-coordinators:v1.2.0' },
  });
  return k8s;
}
