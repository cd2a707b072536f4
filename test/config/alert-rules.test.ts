import { describe, expect, it } from 'vitest';
import { loadCatalog, parseCatalog } from '../../src/config/catalog.js';
import { problemsOf, SHIPPED_CATALOG, shippedWith } from '../support/catalog-fixtures.js';

describe('the shipped catalog’s alert rules', () => {
  const catalog = loadCatalog(SHIPPED_CATALOG);

  it('give every alert an expr, a for, a severity and a runbook link', () => {
    for (const [name, alert] of Object.entries(catalog.alerts)) {
      expect({ name, expr: alert.expr?.length, for: alert.for, runbook: alert.runbook?.length }).toEqual({
        name,
        expr: expect.any(Number),
        for: expect.stringMatching(/^\d+[smhd]$/),
        runbook: expect.any(Number),
      });
    }
  });

  it('include the runbook 001 and 002 alerts, each with its health indicator', () => {
    const added = {
      NotificationAgentElevatedResponseTime: 'latency_p95',
      NotificationAgentHighResourceUsage: 'cpu',
      NotificationAgentEventProcessingLag: 'event_queue_depth',
      NotificationAgentTokenBudget: 'token_budget',
      MaestroLeaseRenewFailures: 'lease_renew_failures',
      MaestroQueueBacklog: 'queue_depth',
    };
    for (const [name, indicator] of Object.entries(added)) {
      const alert = catalog.alerts[name]!;
      expect(alert.indicator, name).toBe(indicator);
      expect(catalog.services[alert.service]!.indicators, name).toHaveProperty(indicator);
    }
  });

  it('say what they chose wherever the runbook gave only prose', () => {
    // Runbook 000 writes these as PromQL: taken as they are.
    const given = ['MaestroPremiumRouterDown', 'MaestroBudgetOverrunRisk'];
    for (const [name, alert] of Object.entries(catalog.alerts)) {
      if (given.includes(name)) expect(alert.derived, name).toBeUndefined();
      else expect(alert.derived, name).toMatch(/runbook 00\d/);
    }
  });
});

describe('a broken alert rule in the catalog', () => {
  it('is refused when it has an expr but no for', () => {
    const text = shippedWith((raw) => {
      delete raw.alerts.MaestroPodDown.for;
    });
    expect(problemsOf(text)).toEqual(['alerts.MaestroPodDown.for: required when the alert has an expr']);
  });

  it('is refused when its for is not a Prometheus duration', () => {
    const text = shippedWith((raw) => {
      raw.alerts.MaestroPodDown.for = '1 minute';
    });
    expect(problemsOf(text)).toEqual(['alerts.MaestroPodDown.for: must be a duration like 0s, 5m or 1h']);
  });

  it('is refused when it has an expr but no runbook link', () => {
    const text = shippedWith((raw) => {
      delete raw.alerts.VictorHighCPUUsage.runbook;
    });
    expect(problemsOf(text)).toEqual(['alerts.VictorHighCPUUsage.runbook: required when the alert has an expr (the rule links it)']);
  });

  it('is refused when for or derived come without an expr', () => {
    const text = shippedWith((raw) => {
      delete raw.alerts.MaestroQueueBacklog.expr;
    });
    expect(problemsOf(text)).toEqual(['alerts.MaestroQueueBacklog.for: only means something with an expr', 'alerts.MaestroQueueBacklog.derived: only means something with an expr']);
  });

  it('is refused when it names an indicator its service does not have', () => {
    const text = shippedWith((raw) => {
      raw.alerts.MaestroQueueBacklog.indicator = 'queue_dept';
    });
    expect(problemsOf(text)).toEqual([
      "alerts.MaestroQueueBacklog.indicator: unknown indicator 'queue_dept' of service 'maestro-orchestrator' (known: error_rate, latency_p95, memory, cpu, lease_renew_failures, queue_depth)",
    ]);
  });

  it('still loads when it only routes an alert another Prometheus defines (no expr)', () => {
    const text = shippedWith((raw) => {
      raw.alerts.ExternalAlert = { service: 'maestro-orchestrator', severity: 'P3', summary: 'defined elsewhere' };
    });
    expect(parseCatalog(text).alerts.ExternalAlert).toMatchObject({ service: 'maestro-orchestrator', severity: 'P3' });
  });
});

describe('the catalog’s range setting', () => {
  it('fills every [{range}] of the shipped queries and exprs with the runbooks’ 5m', () => {
    const catalog = loadCatalog(SHIPPED_CATALOG);
    expect(catalog.defaults.range).toBe('5m');
    expect(catalog.services['maestro-orchestrator']!.indicators.error_rate!.query).toContain('maestro_orchestration_errors_total{namespace="{namespace}"}[5m]');
    expect(catalog.alerts.MaestroHighErrorRate!.expr).toBe(
      'sum by (namespace) (rate(maestro_orchestration_errors_total[5m])) / sum by (namespace) (rate(maestro_orchestration_requests_total[5m])) > 0.1',
    );
  });

  it('compresses a drill’s queries and exprs when set short, leaving windows of their own alone', () => {
    const catalog = parseCatalog(
      shippedWith((raw) => {
        raw.defaults.range = '15s';
      }),
    );
    expect(catalog.services['maestro-orchestrator']!.indicators.cpu!.query).toContain('[15s]');
    expect(catalog.alerts.MaestroHighErrorRate!.expr).not.toContain('[5m]');
    expect(catalog.alerts.NotificationAgentPodCrashes!.expr).toContain('[10m]');
    expect(catalog.services['notification-agent']!.indicators.token_budget!.query).toContain('[1d]');
  });

  it('is refused when it is not a Prometheus duration', () => {
    const text = shippedWith((raw) => {
      raw.defaults.range = 'five minutes';
    });
    expect(problemsOf(text)).toEqual(['defaults.range: must be a duration like 0s, 5m or 1h']);
  });
});
