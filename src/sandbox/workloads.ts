import type { Catalog, Indicator } from '../config/catalog-schema.js';
import { fillQuery } from '../core/health.js';

/** A catalog service in one env, with its indicator queries filled in: what the sandbox's metrics answer for. */
export interface CatalogWorkload {
  service: string;
  namespace: string;
  deployment: string;
  container: string;
  indicators: { name: string; indicator: Indicator; promql: string }[];
}

export function catalogWorkloads(catalog: Catalog): CatalogWorkload[] {
  return Object.entries(catalog.services).flatMap(([service, svc]) =>
    Object.values(svc.envs).map((env) => ({
      service,
      namespace: env.namespace,
      deployment: env.deployment,
      container: env.container,
      indicators: Object.entries(svc.indicators).map(([name, indicator]) => ({
        name,
        indicator,
        promql: fillQuery(indicator.query, { namespace: env.namespace, deployment: env.deployment, service }),
      })),
    })),
  );
}
