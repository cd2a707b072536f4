import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { staleRuleManifests } from '../../scripts/prometheus-rules.js';
import { loadCatalog } from '../../src/config/catalog.js';

const SHIPPED = 'config/catalog.yaml';
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the repo's catalog and committed manifests, to change one of them. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-rules-'));
  temps.push(dir);
  mkdirSync(join(dir, 'manifests/prometheus'), { recursive: true });
  for (const file of [SHIPPED, 'manifests/prometheus/maestro-rules.yaml', 'manifests/prometheus/maestro-prometheusrule.yaml']) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    copyFileSync(file, join(dir, file));
  }
  return dir;
}

describe('manifests/prometheus, generated from the catalog', () => {
  it('are what the shipped catalog gives (npm run rules:check passes)', () => {
    expect(staleRuleManifests(SHIPPED, '.')).toEqual([]);
  });

  it('are reported stale, both of them, once an alert threshold in the catalog changes', () => {
    const dir = workspace();
    const catalog = join(dir, SHIPPED);
    writeFileSync(catalog, readFileSync(catalog, 'utf8').replace('maestro_orchestration_requests_total[{range}])) > 0.1', 'maestro_orchestration_requests_total[{range}])) > 0.2'));
    expect(staleRuleManifests(catalog, dir)).toEqual(['manifests/prometheus/maestro-rules.yaml', 'manifests/prometheus/maestro-prometheusrule.yaml']);
  });

  it('hold one rule per catalog alert, with its expr, for, severity and runbook link', () => {
    const catalog = loadCatalog(SHIPPED);
    const file = parse(readFileSync('manifests/prometheus/maestro-rules.yaml', 'utf8')) as {
      groups: { rules: { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }[] }[];
    };
    const rules = file.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert).sort()).toEqual(Object.keys(catalog.alerts).sort());
    const errorRate = rules.find((r) => r.alert === 'MaestroOrchestrationFailureRateHigh')!;
    // Runbook 000's per-second `rate(...) > 0.1`, written as the 10% it states.
    expect(errorRate).toMatchObject({
      expr: 'sum by (namespace) (rate(maestro_orchestration_errors_total[5m])) / sum by (namespace) (rate(maestro_orchestration_requests_total[5m])) > 0.1',
      for: '2m',
      labels: { severity: 'P1', service: 'maestro-orchestrator' },
      annotations: { runbook_url: 'https://docs.intelgraph.ai/runbooks/orchestration-failures' },
    });
  });

  it('include a PrometheusRule that prometheus-operator’s schema accepts', () => {
    const rule = parse(readFileSync('manifests/prometheus/maestro-prometheusrule.yaml', 'utf8'));
    expect(() => new PrometheusRule(rule).validate()).not.toThrow();
    const groups = (rule as { spec: { groups: unknown[] } }).spec.groups;
    expect(groups).toEqual(parse(readFileSync('manifests/prometheus/maestro-rules.yaml', 'utf8')).groups);
  });

  it('would have a PrometheusRule with a `for` Prometheus cannot read rejected by that schema', () => {
    const rule = parse(readFileSync('manifests/prometheus/maestro-prometheusrule.yaml', 'utf8')) as { spec: { groups: { rules: { for: string }[] }[] } };
    rule.spec.groups[0]!.rules[0]!.for = 'five minutes';
    expect(() => new PrometheusRule(rule as never).validate()).toThrow(/for must match pattern/);
  });
});
