import type { LogOptions } from '../clients/kubernetes/shapes.js';
import type { ServiceEnv } from '../config/catalog-schema.js';

/** The pods' logs, for runbook 003's "no repeating stack traces in the last 5 minutes". */
export interface PodLogReader {
  listPods(namespace: string, selector: string): Promise<{ name: string }[]>;
  podLogs(namespace: string, pod: string, options: LogOptions): Promise<string>;
}

/**
 * What verification needs from PagerDuty (and the incident card), declared here by
 * its consumer; main.ts fills it from src/clients/pagerduty.ts.
 */
export interface IncidentResolver {
  /** The mitigation held: resolve the service's open incident and mark its card mitigated. */
  resolve(service: string, env: string, note: string): Promise<void>;
  /** The mitigation did not hold: page on-call again with what regressed. */
  repage(service: string, env: string, summary: string): Promise<void>;
}

/**
 * Where a service's health endpoint and admin API answer. The catalog's URLs in a
 * real cluster; the sandbox's own in a drill, so nothing reaches production.
 */
export interface ServiceEndpoints {
  health(service: string, env: string, spec: ServiceEnv): string | undefined;
  admin(service: string, env: string, spec: ServiceEnv): string | undefined;
}

export const catalogEndpoints: ServiceEndpoints = {
  health: (_service, _env, spec) => spec.healthUrl,
  admin: (_service, _env, spec) => spec.adminUrl,
};

/** The sandbox's health and admin URLs for every deployment (see src/sandbox/index.ts). */
export function sandboxEndpoints(sandbox: {
  healthUrl(namespace: string, deployment: string): string;
  adminUrl(namespace: string, deployment: string): string;
}): ServiceEndpoints {
  return {
    health: (_service, _env, spec) => sandbox.healthUrl(spec.namespace, spec.deployment),
    admin: (_service, _env, spec) => sandbox.adminUrl(spec.namespace, spec.deployment),
  };
}
