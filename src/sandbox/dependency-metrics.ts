import type { Catalog } from '../config/catalog-schema.js';
import { fillQuery } from '../core/health.js';
import { normaliseQuery } from './metric-shapes.js';

/**
 * The catalog's dependency queries (`deps`), answered with a healthy value: the sandbox
 * simulates the services, not intelgraph-core's Redis and databases, so what they depend
 * on is well. Half the warning threshold for "above" checks, all of it (1) for ratios that
 * are bad when low.
 */
export function dependencyValues(catalog: Catalog): Map<string, number> {
  const values = new Map<string, number>();
  for (const [service, svc] of Object.entries(catalog.services)) {
    for (const dep of Object.values(svc.dependencies)) {
      if (dep.kind !== 'query') continue;
      const value = dep.badWhen === 'above' ? dep.warning / 2 : dep.unit === 'ratio' ? 1 : dep.warning * 2;
      for (const env of Object.values(svc.envs)) {
        values.set(normaliseQuery(fillQuery(dep.query, { namespace: env.namespace, deployment: env.deployment, service })), value);
      }
    }
  }
  return values;
}
