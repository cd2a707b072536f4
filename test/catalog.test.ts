import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/config/catalog.js';
import { problemsOf, SHIPPED_CATALOG, shippedWith } from './support/catalog-fixtures.js';

const SHIPPED = SHIPPED_CATALOG;

describe('the shipped catalog', () => {
  const catalog = loadCatalog(SHIPPED);

  it('validates', () => {
    expect(Object.keys(catalog.services)).toEqual([
      'maestro-orchestrator',
      'maestro-premium-router',
      'notification-agent',
      'victor-coordinators',
    ]);
  });

  it('covers every alert the runbooks name', () => {
    const named = [
      'MaestroHighErrorRate',
      'MaestroHighLatency',
      'MaestroPodDown',
      'MaestroMemoryUsageHigh',
      'MaestroCPUUsageHigh',
      'MaestroOrchestrationFailureRateHigh',
      'MaestroPremiumRouterDown',
      'MaestroComplianceGateFailures',
      'MaestroBudgetOverrunRisk',
      'VictorCoordinatorHighErrorRate',
      'VictorCoordinatorCriticalErrorRate',
      'VictorCoordinatorHighLatency',
      'VictorCoordinatorCriticalLatency',
      'VictorCoordinatorLowCacheHitRate',
      'VictorCoordinatorCacheMissBurst',
      'VictorCoordinatorUnavailable',
      'VictorCoordinatorHighMemory',
      'VictorHighCPUUsage',
    ];
    for (const alert of named) expect(catalog.alerts, alert).toHaveProperty(alert);
  });

  it('maps the runbook namespaces', () => {
    expect(catalog.services['maestro-orchestrator']!.envs.prod!.namespace).toBe('intelgraph-prod');
    expect(catalog.services['maestro-orchestrator']!.envs.dev!.namespace).toBe('intelgraph-dev');
    expect(catalog.services['maestro-premium-router']!.envs.prod!.namespace).toBe('intelgraph-maestro');
    expect(catalog.services['notification-agent']!.envs.dev!.namespace).toBe('agents-dev');
  });

  it('allows the runbook emergency flags on the orchestrator', () => {
    expect(catalog.services['maestro-orchestrator']!.flags).toEqual([
      'CIRCUIT_BREAKER_ENABLED',
      'PREMIUM_ROUTING_ENABLED',
      'COMPLIANCE_EMERGENCY_OVERRIDE',
    ]);
  });

  it('lists the LLM providers with the env each one sets', () => {
    const providers = catalog.services['notification-agent']!.providers;
    expect(Object.keys(providers)).toEqual(['azure-openai', 'azure-openai-backup', 'ollama']);
    expect(providers['azure-openai-backup']!.env.LLMProvider__AzureOpenAI__Endpoint).toBe(
      'https://oai-agents-backup.openai.azure.com/',
    );
    expect(providers.ollama!.env).toEqual({ LLMProvider__ProviderType: 'Ollama' });
  });

  it('carries the runbook health thresholds', () => {
    const victor = catalog.services['victor-coordinators']!.indicators;
    expect(victor.error_rate).toMatchObject({ badWhen: 'above', warning: 0.01, critical: 0.05 });
    expect(victor.cache_hit_rate).toMatchObject({ badWhen: 'below', warning: 0.8, critical: 0.5 });
    expect(victor.latency_p95).toMatchObject({ warning: 2, critical: 5 });
    expect(victor.cpu).toMatchObject({ warning: 50, critical: 80 });
  });

  it('names the cache-warm coordinators and the runbook item count', () => {
    expect(catalog.services['victor-coordinators']!.cacheWarm).toMatchObject({
      coordinators: ['ChatCoordinator'],
      defaultItems: 1000,
    });
  });

  it('gives each service with a public face a status page component and templates', () => {
    const sp = catalog.services['maestro-orchestrator']!.statuspage;
    expect(sp).toMatchObject({ componentId: 'maestro-orchestration', name: 'Maestro orchestration' });
    expect(Object.keys(sp!.templates)).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
  });

  it('gives the cache-warm service an admin URL in every environment', () => {
    for (const env of Object.values(catalog.services['victor-coordinators']!.envs)) expect(env.adminUrl).toMatch(/^http/);
  });

  it('makes prod rollbacks sre-only and high-risk prod changes wait for a second sre', () => {
    const rules = Object.fromEntries(catalog.policy.rules.map((r) => [r.name, r]));
    expect(rules['prod-rollback']).toMatchObject({ roles: ['sre'], match: { verbs: ['rollback'], envs: ['prod'] } });
    expect(rules['prod-high-risk-approval']).toMatchObject({ effect: 'approval', approvers: ['sre'] });
    expect(catalog.policy.approval.ttl).toBe('10m');
    expect(catalog.policy.unknownUsers).toBe('read-only');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(catalog.services['maestro-orchestrator']!.envs.prod)).toBe(true);
  });
});

describe('a broken catalog', () => {
  it('names a missing namespace by its path', () => {
    const text = shippedWith((raw) => {
      delete raw.services['victor-coordinators'].envs.prod.namespace;
    });
    expect(problemsOf(text)).toContain('services.victor-coordinators.envs.prod.namespace: required');
  });

  it('lists every problem, not just the first', () => {
    const text = shippedWith((raw) => {
      delete raw.services['victor-coordinators'].envs.prod.namespace;
      raw.services['maestro-orchestrator'].envs.prod.replicas = { min: 5, max: 2 };
      raw.alerts.MaestroPodDown.severity = 'P9';
    });
    const problems = problemsOf(text);
    expect(problems).toHaveLength(3);
    expect(problems).toContain('services.maestro-orchestrator.envs.prod.replicas: min must not exceed max');
    expect(problems.find((p) => p.startsWith('alerts.MaestroPodDown.severity:'))).toBeDefined();
  });

  it('rejects an alert pointing at an unknown service', () => {
    const text = shippedWith((raw) => {
      raw.alerts.MaestroPodDown.service = 'maestro-orchestra';
    });
    expect(problemsOf(text)).toEqual(["alerts.MaestroPodDown.service: unknown service 'maestro-orchestra'"]);
  });

  it('rejects an environment the catalog does not define', () => {
    const text = shippedWith((raw) => {
      raw.services['maestro-orchestrator'].envs.qa = raw.services['maestro-orchestrator'].envs.dev;
    });
    expect(problemsOf(text)[0]).toMatch(/^services\.maestro-orchestrator\.envs\.qa: unknown environment 'qa'/);
  });

  it('rejects an unknown key, so typos do not pass silently', () => {
    const text = shippedWith((raw) => {
      raw.services['maestro-orchestrator'].envs.prod.namspace = 'x';
    });
    expect(problemsOf(text)).toContain('services.maestro-orchestrator.envs.prod: unknown key namspace');
  });

  it('rejects a status page component without its id', () => {
    const text = shippedWith((raw) => {
      delete raw.services['maestro-orchestrator'].statuspage.componentId;
    });
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^services\.maestro-orchestrator\.statuspage\.componentId: /)]);
  });

  it('requires a ConfigMap when the service has flags', () => {
    const text = shippedWith((raw) => {
      delete raw.services['maestro-orchestrator'].envs.dev.configMap;
    });
    expect(problemsOf(text)).toEqual(['services.maestro-orchestrator.envs.dev.configMap: required when the service has flags']);
  });

  it('rejects thresholds in the wrong order', () => {
    const text = shippedWith((raw) => {
      raw.services['victor-coordinators'].indicators.cache_hit_rate.warning = 0.3;
    });
    expect(problemsOf(text)).toEqual([
      'services.victor-coordinators.indicators.cache_hit_rate: warning threshold must be crossed before critical',
    ]);
  });

  it('rejects a policy rule naming a role the policy does not define', () => {
    const text = shippedWith((raw) => {
      raw.policy.rules[0].roles = ['sre', 'sres'];
    });
    expect(problemsOf(text)).toEqual(["policy.rules.0.roles.1: unknown role 'sres' (known: sre, oncall, developers)"]);
  });

  it('requires approvers on an approval rule', () => {
    const text = shippedWith((raw) => {
      delete raw.policy.rules.find((r: { effect?: string }) => r.effect === 'approval').approvers;
    });
    expect(problemsOf(text)).toEqual(['policy.rules.3.approvers: required when the effect is approval']);
  });

  it("allows '*' only for console users", () => {
    const text = shippedWith((raw) => {
      raw.policy.roles.sre.slack.users = ['*'];
    });
    expect(problemsOf(text)).toEqual(["policy.roles.sre: '*' is allowed for console users only"]);
  });

  it('reports YAML syntax errors as one problem', () => {
    expect(problemsOf('services: [unclosed')[0]).toMatch(/^not valid YAML: /);
  });

  it('reports a file that cannot be read', () => {
    expect(() => loadCatalog('test/fixtures/catalogs/missing.yaml')).toThrow(/cannot read the file: ENOENT/);
  });
});
