import { afterEach, describe, expect, it } from 'vitest';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { AlertmanagerPayload } from '../../src/incidents/alertmanager-payload.js';
import type { Incident } from '../../src/incidents/incident.js';
import { IncidentLookups } from '../../src/incidents/incident-lookups.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { IncidentFiredAlerts } from '../../src/verbs/incident-export/fired-alerts.js';
import { incidentExport } from '../../src/verbs/incident-export/incident-export.js';
import { highErrorRate, notification, shippedGroupKey } from '../fixtures/alertmanager/payloads.js';
import { ada, catalog, silent, VerifyHarness } from './harness.js';

/**
 * `incident export` fills the follow-up issue with what the bot knows instead of
 * placeholders: the alerts that fired (its incident store), the image tags rolled from
 * and to, and the change causes of those revisions (the sandbox's `kubectl rollout history`).
 */
let h: VerifyHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function exportContext(harness: VerifyHarness, withIncidents = true) {
  const lookups: IncidentLookups = new IncidentLookups(harness.redis, harness.prefix, (id): Promise<Incident | undefined> => store.get(id));
  const store = new IncidentStore(harness.redis, harness.prefix, catalog, lookups);
  const ctx = {
    requestId: 'r-export',
    actor: ada,
    env: 'prod',
    catalog,
    log: silent,
    signal: new AbortController().signal,
    ports: {
      evidence: harness.verification.evidence,
      kubernetes: kubernetesFromConfig(harness.sandbox.kubeConfig()),
      ...(withIncidents ? { firedAlerts: new IncidentFiredAlerts({ lookups, store }) } : {}),
    },
  };
  return { ctx, store };
}

async function exported(ctx: ReturnType<typeof exportContext>['ctx']): Promise<string> {
  return String((await incidentExport.execute(ctx, { service: 'maestro-orchestrator' }, async () => {})).message.code);
}

describe('incident export after a rollback off the faulty release', () => {
  it('lists the alerts that fired, from the incident store, with their incident and times', async () => {
    h = await new VerifyHarness('export-alerts').start('1s');
    const { ctx, store } = exportContext(h);
    await store.ingest(AlertmanagerPayload.parse(highErrorRate()));
    await store.ingest(
      AlertmanagerPayload.parse(notification(shippedGroupKey('MaestroHighLatency'), [{ alertname: 'MaestroHighLatency', fingerprint: 'b1', status: 'resolved' }])),
    );
    await h.run('rollback', { service: 'maestro-orchestrator' });
    const md = await exported(ctx);
    expect(md).toContain('### Alerts that fired');
    // Two incidents, each its own card number; the later one does not hide the earlier.
    expect(md).toContain('| MaestroHighErrorRate | prod | 1 | P1 | 2026-01-15T10:00:00Z | still firing |');
    expect(md).toContain('| MaestroHighLatency | prod | 2 | P2 | 2026-01-15T10:00:00Z | 2026-01-15T10:20:00Z |');
    expect(md).toContain('`MaestroHighErrorRate` (prod, incident 1)');
    expect(md).toContain('`MaestroHighLatency` (prod, incident 2)');
  }, 30_000);

  it('names only alerts that fired, not every alert the catalog could raise for the service', async () => {
    h = await new VerifyHarness('export-only-fired').start('1s');
    const { ctx, store } = exportContext(h);
    await store.ingest(AlertmanagerPayload.parse(highErrorRate()));
    const md = await exported(ctx);
    expect(md).not.toContain('MaestroMemoryUsageHigh');
    expect(md).not.toContain('<alerts>');
  }, 30_000);

  it('shows the image tags and the change causes of the revisions rolled from and to, and the offending release', async () => {
    h = await new VerifyHarness('export-causes').start('1s');
    const { ctx } = exportContext(h);
    await h.run('rollback', { service: 'maestro-orchestrator' });
    const md = await exported(ctx);
    // The resulting revision carries the mitigation's own change cause, the one the bot's rollback recorded.
    expect(md).toContain(
      '| Kubernetes | 7 → 8 (the template of revision 6) | v2.8.0 → v2.7.3 | release v2.8.0: budget policy engine → maestro-bot rollback to revision 6 by ada (console C1) | ada |',
    );
    expect(md).toContain('- [ ] Offending release: `v2.8.0` (release v2.8.0: budget policy engine); commit SHA: `<sha>`');
  }, 30_000);

  it('says no alert reached the bot when its incident store has none, rather than a placeholder', async () => {
    h = await new VerifyHarness('export-no-alerts').start('1s');
    const md = await exported(exportContext(h).ctx);
    expect(md).toContain("No alert of maestro-orchestrator is in the bot's incident store (they are kept 30 days).");
    expect(md).toContain('- [ ] Failing alerts: none reached the bot; list any that fired elsewhere');
  }, 30_000);

  it('still exports, without change causes, when the cluster refuses to list the revisions', async () => {
    h = await new VerifyHarness('export-denied').start('1s');
    await h.run('rollback', { service: 'maestro-orchestrator' });
    h.sandbox.deny({ verb: 'list', resource: 'replicasets', namespace: 'intelgraph-prod' });
    const md = await exported(exportContext(h).ctx);
    expect(md).toContain('| 7 → 8 (the template of revision 6) | v2.8.0 → v2.7.3 | - | ada |');
  }, 30_000);
});
