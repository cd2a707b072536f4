import { describe, expect, it } from 'vitest';
import { flag } from '../../src/verbs/flag/flag.js';
import { provider } from '../../src/verbs/provider/provider.js';
import { actionContext, recorder } from './context.js';
import { seededCluster } from './seed.js';

describe('flag', () => {
  const args = { service: 'maestro-orchestrator', flag: 'CIRCUIT_BREAKER_ENABLED', state: 'on' as const };

  it('refuses a flag the catalog does not list, naming those it does', async () => {
    await expect(flag.plan!(actionContext(seededCluster()), { ...args, flag: 'DEBUG' })).rejects.toThrow(
      'maestro-orchestrator has no flag DEBUG (flags: CIRCUIT_BREAKER_ENABLED, PREMIUM_ROUTING_ENABLED, COMPLIANCE_EMERGENCY_OVERRIDE)',
    );
  });

  it('refuses a service without flags', async () => {
    await expect(flag.plan!(actionContext(seededCluster()), { ...args, service: 'notification-agent' })).rejects.toThrow(
      'notification-agent has no flags in the catalog',
    );
  });

  it('plans the ConfigMap key change and a restart', async () => {
    const plan = await flag.plan!(actionContext(seededCluster()), args);
    expect(plan.changes).toEqual([{ what: 'maestro-config.CIRCUIT_BREAKER_ENABLED', from: 'false', to: 'true' }]);
    expect(plan.data).toMatchObject({ configMap: 'maestro-config', value: 'true' });
    expect(plan.data.restartedAt).toBeDefined();
  });

  it('patches the ConfigMap then restarts, once, when run twice', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await flag.plan!(ctx, args);
    const message = (await flag.execute(ctx, args, recorder().progress, plan)).message;
    await flag.execute(ctx, args, recorder().progress, plan);
    expect(k8s.changes).toEqual([
      'configmap maestro-config CIRCUIT_BREAKER_ENABLED=true',
      `restart maestro-orchestrator ${plan.data.restartedAt}`,
    ]);
    expect(message.title).toBe('CIRCUIT_BREAKER_ENABLED turned on for maestro-orchestrator in prod');
  });

  it('changes nothing when the flag already has the value', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const off = { ...args, flag: 'PREMIUM_ROUTING_ENABLED', state: 'on' as const };
    const plan = await flag.plan!(ctx, off);
    const message = (await flag.execute(ctx, off, recorder().progress, plan)).message;
    expect(plan.changes).toEqual([]);
    expect(k8s.changes).toEqual([]);
    expect(message.severity).toBe('info');
  });
});

describe('provider', () => {
  const args = { service: 'notification-agent', provider: 'azure-openai-backup' };

  it('refuses a provider the catalog does not list, naming those it does', async () => {
    await expect(provider.plan!(actionContext(seededCluster()), { ...args, provider: 'openai' })).rejects.toThrow(
      'notification-agent has no provider openai (providers: azure-openai, azure-openai-backup, ollama)',
    );
  });

  it('plans only the variables that change', async () => {
    const plan = await provider.plan!(actionContext(seededCluster()), args);
    expect(plan.changes).toEqual([
      {
        what: 'env LLMProvider__AzureOpenAI__Endpoint',
        from: 'https://oai-agents.openai.azure.com/',
        to: 'https://oai-agents-backup.openai.azure.com/',
      },
    ]);
  });

  it('sets the env once when run twice', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await provider.plan!(ctx, args);
    const message = (await provider.execute(ctx, args, recorder().progress, plan)).message;
    await provider.execute(ctx, args, recorder().progress, plan);
    expect(k8s.changes).toEqual(['env notification-agent LLMProvider__ProviderType,LLMProvider__AzureOpenAI__Endpoint']);
    expect(message.title).toBe('notification-agent in prod now uses azure-openai-backup');
  });
});
