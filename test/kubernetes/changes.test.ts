import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events } from '../../src/verbs/events/events.js';
import { flag } from '../../src/verbs/flag/flag.js';
import { logs } from '../../src/verbs/logs/logs.js';
import { provider } from '../../src/verbs/provider/provider.js';
import { restart } from '../../src/verbs/restart/restart.js';
import { scale } from '../../src/verbs/scale/scale.js';
import { type Harness, noProgress, ORCHESTRATOR, startHarness } from './sandbox.js';

describe('scale, flag, provider, logs and events against the sandbox API server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  it('scales through the scale subresource and waits for readiness', async () => {
    const ctx = h.ctx();
    const args = { service: 'maestro-orchestrator', replicas: 5 };
    const message = (await scale.execute(ctx, args, noProgress, await scale.plan!(ctx, args))).message;
    expect(message.severity).toBe('success');
    expect(await h.k8s.readScale(ORCHESTRATOR)).toBe(5);
    const d = await h.k8s.readDeployment(ORCHESTRATOR);
    expect([d.desired, d.ready]).toEqual([5, 5]);
  });

  it('patches the flag into the ConfigMap, then restarts the deployment', async () => {
    const ctx = h.ctx();
    const args = { service: 'maestro-orchestrator', flag: 'CIRCUIT_BREAKER_ENABLED', state: 'on' as const };
    const plan = await flag.plan!(ctx, args);
    const message = (await flag.execute(ctx, args, noProgress, plan)).message;
    expect(message.severity).toBe('success');
    const cm = await h.k8s.readConfigMap('intelgraph-prod', 'maestro-config');
    expect(cm).toEqual({ CIRCUIT_BREAKER_ENABLED: 'true', PREMIUM_ROUTING_ENABLED: 'true', COMPLIANCE_EMERGENCY_OVERRIDE: 'false' });
    const d = await h.k8s.readDeployment(ORCHESTRATOR);
    expect(d.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(plan.data.restartedAt);
  });

  it('switches the provider by setting container env by name, keeping the rest of the container', async () => {
    const ctx = h.ctx();
    const args = { service: 'notification-agent', provider: 'azure-openai-backup' };
    const ref = { namespace: 'agents-prod', deployment: 'notification-agent' };
    const message = (await provider.execute(ctx, args, noProgress, await provider.plan!(ctx, args))).message;
    expect(message.severity).toBe('success');
    const d = await h.k8s.readDeployment(ref);
    expect(d.containers[0]!.env).toEqual({
      LLMProvider__ProviderType: 'AzureOpenAI',
      LLMProvider__AzureOpenAI__Endpoint: 'https://oai-agents-backup.openai.azure.com/',
    });
    const spec = d.template.spec as { containers: { ports?: unknown[] }[] };
    expect(spec.containers[0]!.ports).toHaveLength(1);
    expect(d.revision).toBe(4);
  });

  it('tails logs capped to a chat message, saying how much was cut', async () => {
    const message = (await logs.execute(h.ctx(), { service: 'maestro-orchestrator', since: '3h' }, noProgress)).message;
    expect(message.code!.length).toBeLessThanOrEqual(2500);
    expect(message.footer).toMatch(/^\d+ earlier lines cut to fit the message/);
  });

  it('redacts the passwords the pods log', async () => {
    const pod = (await h.k8s.listPods('intelgraph-prod', 'app=maestro-orchestrator'))[0]!.name;
    const raw = await h.k8s.podLogs('intelgraph-prod', pod, { container: 'maestro-orchestrator', tailLines: 500 });
    expect(raw).toMatch(/password=[0-9a-f]{16}/);
    const message = (await logs.execute(h.ctx(), { service: 'maestro-orchestrator', since: '3h', grep: 'password' }, noProgress)).message;
    const lines = message.code!.split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/password=\[redacted\]/);
  });

  it("shows the deployment's events after a restart", async () => {
    const ctx = h.ctx();
    await restart.execute(ctx, { service: 'maestro-orchestrator' }, noProgress, await restart.plan!(ctx, { service: 'maestro-orchestrator' }));
    const message = (await events.execute(ctx, { service: 'maestro-orchestrator' }, noProgress)).message;
    expect(message.table!.rows.map((row) => row.slice(2, 4))).toContainEqual(['ScalingReplicaSet', 'Deployment/maestro-orchestrator']);
  });
});
