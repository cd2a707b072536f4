import { stringify } from 'yaml';
import type { Alert, Catalog } from './catalog-schema.js';

/**
 * The catalog's alerts as Prometheus alerting rules: one group per service, every
 * alert that carries an `expr`. The plain rules file (rule_files:) and the
 * prometheus-operator PrometheusRule hold the same groups, so both are cut here.
 */

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: AlertingRule[];
}

const GENERATED = '# Generated from config/catalog.yaml by `npm run rules` (scripts/prometheus-rules.ts): edit the catalog, not this file.\n';

function rule(name: string, alert: Alert & { expr: string; for: string }): AlertingRule {
  return {
    alert: name,
    expr: alert.expr,
    for: alert.for,
    // `service` lets Alertmanager route by owner; the bot itself looks the alert up by name.
    labels: { severity: alert.severity, service: alert.service },
    annotations: { summary: alert.summary, ...(alert.runbook ? { runbook_url: alert.runbook } : {}) },
  };
}

export function ruleGroups(catalog: Catalog): RuleGroup[] {
  const groups = new Map<string, AlertingRule[]>();
  for (const [name, alert] of Object.entries(catalog.alerts)) {
    if (!alert.expr || !alert.for) continue;
    const rules = groups.get(alert.service) ?? [];
    rules.push(rule(name, { ...alert, expr: alert.expr, for: alert.for }));
    groups.set(alert.service, rules);
  }
  return [...groups].map(([service, rules]) => ({ name: `maestro-bot.${service}`, rules }));
}

/** The plain rules file, as Prometheus's `rule_files:` and `promtool check rules` take it. */
export function rulesFile(catalog: Catalog): string {
  return GENERATED + stringify({ groups: ruleGroups(catalog) }, { lineWidth: 0 });
}

function prometheusRuleObject(catalog: Catalog) {
  return {
    apiVersion: 'monitoring.coreos.com/v1' as const,
    kind: 'PrometheusRule' as const,
    metadata: {
      name: 'maestro-bot-alerts',
      // kube-prometheus-stack's default ruleSelector picks rules by its release label; set yours in kustomize.
      labels: { 'app.kubernetes.io/name': 'maestro-bot', 'app.kubernetes.io/component': 'alerting-rules' },
    },
    spec: { groups: ruleGroups(catalog) },
  };
}

/** The PrometheusRule custom resource for prometheus-operator. */
export function prometheusRuleFile(catalog: Catalog): string {
  return GENERATED + stringify(prometheusRuleObject(catalog), { lineWidth: 0 });
}
