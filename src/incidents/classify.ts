import type { AlertAction, Catalog, Severity } from '../config/catalog-schema.js';

/** What the catalog says about an alert, or what its labels let us guess. */
export interface Classification {
  known: boolean;
  service?: string;
  env: string;
  severity: Severity;
  summary?: string;
  runbook?: string;
  actions: AlertAction[];
}

const LABEL_SEVERITY: Record<string, Severity> = {
  p0: 'P0',
  p1: 'P1',
  p2: 'P2',
  p3: 'P3',
  p4: 'P4',
  critical: 'P1',
  error: 'P2',
  high: 'P2',
  warning: 'P3',
  info: 'P4',
  none: 'P4',
};

/**
 * The catalog decides severity, service and buttons for the alerts it knows. For the
 * rest, the service comes from the usual labels (`service`, `app`, `deployment`) when
 * it names a catalog service or its deployment; the env from `env`/`environment` or
 * the namespace; otherwise the catalog default — a card without service actions.
 */
export function classify(catalog: Catalog, labels: Record<string, string>): Classification {
  const alert = catalog.alerts[labels.alertname ?? ''];
  const service = alert?.service ?? serviceFromLabels(catalog, labels);
  const env = envFromLabels(catalog, service, labels);
  if (alert) {
    return { known: true, service, env, severity: alert.severity, summary: alert.summary, runbook: alert.runbook, actions: alert.actions };
  }
  const severity = LABEL_SEVERITY[(labels.severity ?? '').toLowerCase()] ?? 'P3';
  return {
    known: false,
    ...(service ? { service } : {}),
    env,
    severity,
    runbook: service ? catalog.services[service]?.runbook : undefined,
    actions: service ? catalog.genericAlertActions : [],
  };
}

function serviceFromLabels(catalog: Catalog, labels: Record<string, string>): string | undefined {
  for (const key of ['service', 'app', 'app_kubernetes_io_name', 'deployment']) {
    const value = labels[key];
    if (!value) continue;
    if (value in catalog.services) return value;
    for (const [name, svc] of Object.entries(catalog.services)) {
      if (Object.values(svc.envs).some((e) => e.deployment === value)) return name;
    }
  }
  return undefined;
}

function envFromLabels(catalog: Catalog, service: string | undefined, labels: Record<string, string>): string {
  for (const key of ['env', 'environment']) {
    const value = labels[key];
    if (value && value in catalog.environments) return value;
  }
  const namespace = labels.namespace;
  if (namespace && service) {
    for (const [envName, spec] of Object.entries(catalog.services[service]?.envs ?? {})) {
      if (spec.namespace === namespace) return envName;
    }
  }
  return catalog.defaults.env;
}
