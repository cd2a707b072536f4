import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/catalog.js';
import { problemsOf, SHIPPED_CATALOG, shippedWith } from '../support/catalog-fixtures.js';

/** The catalog's declarations for health, deps, admin and admin run: what the shipped one says, and what it refuses. */
describe('the service API declarations in the catalog', () => {
  const catalog = loadCatalog(SHIPPED_CATALOG);

  it("declares Victor's runbook probes, admin reads and actions, and the orchestrator's", () => {
    const victor = catalog.services['victor-coordinators']!;
    expect(victor.healthProbes).toEqual({ health: '/health', ready: '/health/ready', live: '/health/live' });
    expect(Object.keys(victor.admin!.reads)).toEqual(['health-detailed', 'validate-config', 'check-dependencies']);
    expect(Object.keys(victor.admin!.actions)).toEqual(['restart-provider', 'clear-cache']);
    expect(Object.keys(catalog.services['maestro-orchestrator']!.admin!.reads)).toEqual(['failed-orchestrations', 'router-models']);
    expect(Object.keys(catalog.services['maestro-orchestrator']!.dependencies)).toEqual(['core_pods_ready', 'redis_memory', 'postgres_reachable']);
  });

  it('gives every service with admin endpoints or probes an adminUrl in every environment', () => {
    for (const [name, svc] of Object.entries(catalog.services)) {
      if (!svc.admin && !svc.healthProbes) continue;
      for (const [env, spec] of Object.entries(svc.envs)) expect(spec.adminUrl, `${name} in ${env}`).toBeDefined();
    }
  });

  it('refuses a dependency query whose warning comes after its critical threshold', () => {
    const text = shippedWith((raw) => {
      raw.services['maestro-orchestrator'].dependencies.redis_memory.warning = 0.95;
    });
    expect(problemsOf(text)).toEqual(['services.maestro-orchestrator.dependencies.redis_memory: warning threshold must be crossed before critical']);
  });

  it('refuses a dependency of a kind it does not know', () => {
    const text = shippedWith((raw) => {
      raw.services['maestro-orchestrator'].dependencies.redis_memory.kind = 'exec';
    });
    expect(problemsOf(text)[0]).toMatch(/^services\.maestro-orchestrator\.dependencies\.redis_memory\.kind: Invalid discriminator value/);
  });

  it('refuses an admin action parameter admin run has no flag for', () => {
    const text = shippedWith((raw) => {
      raw.services['victor-coordinators'].admin.actions['clear-cache'].params = { all: { description: 'all of them', values: ['true'] } };
    });
    expect(problemsOf(text)).toEqual(['services.victor-coordinators.admin.actions.clear-cache.params: unknown key all']);
  });

  it('refuses a read whose format has no schema', () => {
    const text = shippedWith((raw) => {
      raw.services['victor-coordinators'].admin.reads['health-detailed'].format = 'yaml';
    });
    expect(problemsOf(text)[0]).toMatch(/^services\.victor-coordinators\.admin\.reads\.health-detailed\.format: /);
  });

  it('refuses a probe path that is not a path on the service', () => {
    const text = shippedWith((raw) => {
      raw.services['victor-coordinators'].healthProbes.ready = 'http://elsewhere/ready';
    });
    expect(problemsOf(text)).toEqual(['services.victor-coordinators.healthProbes.ready: must be a path on the service, like /health/ready']);
  });

  it('refuses a read name that is not a word the grammar can take', () => {
    const text = shippedWith((raw) => {
      raw.services['victor-coordinators'].admin.reads['Health Detailed'] = raw.services['victor-coordinators'].admin.reads['health-detailed'];
    });
    expect(problemsOf(text)).toEqual(['services.victor-coordinators.admin.reads.Health Detailed: must be lower-case words joined by dashes, like health-detailed']);
  });
});
