import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AlertHarness, pagedIncident, startAlertHarness } from '../alerts/support/harness.js';

/**
 * Verification's IncidentResolver port as main.ts fills it: the incidents' PagerDuty
 * pager. A pass resolves the service's open incident over the REST API and on its
 * card; a regression pages again on the open incident's dedup key.
 */
let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('verification-resolver');
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slackApi.reset();
  h.pd.reset();
});

describe('the verification resolver over PagerDuty', () => {
  it('resolves the open incident in PagerDuty and on its card when verification passes', async () => {
    const { ts } = await pagedIncident(h);
    await h.incidents.resolver!.resolve('maestro-orchestrator', 'prod', 'verification passed: held for 10m after the rollback');
    await h.incidents.settled();
    expect(h.pd.restCalls('PUT', /^\/incidents\//).map((c) => c.body)).toEqual([{ incident: { type: 'incident_reference', status: 'resolved' } }]);
    const note = h.pd.restCalls('POST', /^\/incidents\/[^/]+\/notes$/)[0]!.body as { note: { content: string } };
    expect(note.note.content).toContain('verification passed');
    const card = JSON.stringify(h.slackApi.succeeded('chat.update').filter((c) => c.body.ts === ts).at(-1)?.body.blocks);
    // The resolve is maestro-bot's own `resolve` command now (audited under that actor), so the card names it.
    expect(card).toContain('Resolved by maestro-bot');
  });

  it('pages again on the open incident when verification sees a regression', async () => {
    const { dedupKey } = await pagedIncident(h);
    h.pd.reset();
    await h.incidents.resolver!.repage('maestro-orchestrator', 'prod', 'regression after the rollback: error rate 11.8%');
    expect(h.pd.events).toHaveLength(1);
    expect(h.pd.events[0]!.body).toMatchObject({
      event_action: 'trigger',
      dedup_key: dedupKey,
      payload: { summary: 'regression after the rollback: error rate 11.8%', severity: 'critical' },
    });
  });
});
