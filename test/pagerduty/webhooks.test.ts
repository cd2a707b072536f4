import type { types } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { incidentIdFor } from '../../src/incidents/incident.js';
import { type AlertHarness, PD_SECRETS, pagedIncident, startAlertHarness } from '../alerts/support/harness.js';
import { pdEvent, pdIncident, pdNote } from '../fixtures/pagerduty/webhook-events.js';
import { buttonBody, postSlack } from '../slack/support/slack-requests.js';
import { threadNotes } from '../alerts/support/thread.js';

let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('pd-webhooks');
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slackApi.reset();
  h.pd.reset();
});

function ackEvent(id: string, pdId: string, dedupKey: string) {
  return pdEvent(id, 'incident.acknowledged', pdIncident(pdId, { status: 'acknowledged', incidentKey: dedupKey }));
}

// Thread notes: the page job's card, the thread's one trace of the automatic page (support/thread.ts), is not one.
const replies = (ts: string) => threadNotes(h.slackApi, ts);
const lastCard = (ts: string) => JSON.stringify(h.slackApi.succeeded('chat.update').filter((c) => c.body.ts === ts).at(-1)?.body.blocks);

describe('POST /webhooks/pagerduty', () => {
  it('accepts a valid signature', async () => {
    const { pdId, dedupKey } = await pagedIncident(h);
    expect((await h.pagerdutyWebhook(ackEvent(`ev-valid-${pdId}`, pdId, dedupKey))).status).toBe(202);
  });

  it('accepts a rotated secret when the second signature is the valid one', async () => {
    const body = pdEvent(`ev-rotated-${Date.now()}`, 'incident.triggered', pdIncident('PNONE', { status: 'triggered' }));
    const { createHmac } = await import('node:crypto');
    const valid = createHmac('sha256', PD_SECRETS[1]!).update(JSON.stringify(body)).digest('hex');
    expect((await h.pagerdutyWebhook(body, { signature: `v1=${'0'.repeat(64)},v1=${valid}` })).status).toBe(202);
  });

  it('refuses a forged signature with 401 and changes nothing', async () => {
    const { ts, pdId, dedupKey } = await pagedIncident(h);
    expect((await h.pagerdutyWebhook(ackEvent(`ev-forged-${pdId}`, pdId, dedupKey), { secret: 'not-our-secret' })).status).toBe(401);
    await h.incidents.settled();
    expect(replies(ts)).toHaveLength(0);
  });

  it('refuses a missing signature with 401', async () => {
    const { pdId, dedupKey } = await pagedIncident(h);
    expect((await h.pagerdutyWebhook(ackEvent(`ev-missing-${pdId}`, pdId, dedupKey), { signature: null })).status).toBe(401);
  });

  it('shows "Acknowledged by …" on the card and in the thread when someone acknowledges in PagerDuty', async () => {
    const { ts, pdId, dedupKey } = await pagedIncident(h);
    await h.pagerdutyWebhook(ackEvent(`ev-ack-${pdId}`, pdId, dedupKey));
    await h.incidents.settled();
    await h.slackApi.waitFor(() => lastCard(ts)?.includes('Acknowledged by Grace Hopper') ?? false);
    expect(replies(ts).map((r) => String(r.body.text))).toEqual([expect.stringContaining('Acknowledged by Grace Hopper in PagerDuty.')]);
  });

  it('processes a replayed event once', async () => {
    const { ts, pdId, dedupKey } = await pagedIncident(h);
    const note = pdEvent(`ev-note-${pdId}`, 'incident.annotated', pdNote(pdId, 'DB failover in progress'));
    await h.pagerdutyWebhook(ackEvent(`ev-first-${pdId}`, pdId, dedupKey));
    await h.incidents.settled();
    await h.pagerdutyWebhook(note);
    await h.pagerdutyWebhook(note);
    await h.incidents.settled();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const notes = replies(ts).filter((r) => String(r.body.text).includes('DB failover'));
    expect(notes).toHaveLength(1);
  });

  it('acknowledges in PagerDuty with one REST call when Acknowledge is pressed in chat, and its echo adds no second message', async () => {
    const { group, ts, pdId, dedupKey } = await pagedIncident(h);
    const incident = await h.incidents.store.get(incidentIdFor(group));
    const ack = incident!.buttons.find((b) => b.kind === 'ack')!;
    const press = await postSlack(h.url, buttonBody({ actionId: 'alert.ack', value: ack.value, messageTs: ts, channelId: '#maestro-pager', userName: 'ada', userId: 'U0ADA' }));
    expect(press.status).toBe(200);
    await h.slackApi.waitFor(() => replies(ts).length === 1);
    await h.incidents.settled();
    const puts = h.pd.restCalls('PUT', /^\/incidents\//);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.headers.from).toBe('maestro-bot@example.com');
    expect(puts[0]!.body).toEqual({ incident: { type: 'incident_reference', status: 'acknowledged' } });
    const notes = h.pd.restCalls('POST', /\/notes$/);
    expect(String((notes[0]!.body.note as { content: string }).content)).toContain('ada');

    // PagerDuty echoes the change back: the card keeps its one reply.
    await h.pagerdutyWebhook(ackEvent(`ev-echo-${pdId}`, pdId, dedupKey));
    await h.pagerdutyWebhook(pdEvent(`ev-echo-note-${pdId}`, 'incident.annotated', pdNote(pdId, String((notes[0]!.body.note as { content: string }).content))));
    await h.incidents.settled();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(replies(ts).map((r) => String(r.body.text))).toEqual([expect.stringContaining('Acknowledged by ada (PagerDuty updated).')]);
    expect(lastCard(ts)).toContain('Acknowledged by ada');
    expect(h.pd.restCalls('PUT', /^\/incidents\//)).toHaveLength(1);
  });

  it('tells only the presser when Acknowledge is pressed on an already acknowledged incident', async () => {
    const { group, ts } = await pagedIncident(h);
    const ack = (await h.incidents.store.get(incidentIdFor(group)))!.buttons.find((b) => b.kind === 'ack')!;
    await postSlack(h.url, buttonBody({ actionId: 'alert.ack', value: ack.value, messageTs: ts, channelId: '#maestro-pager' }));
    await h.slackApi.waitFor(() => replies(ts).length === 1);
    await postSlack(h.url, buttonBody({ actionId: 'alert.ack', value: ack.value, messageTs: ts, channelId: '#maestro-pager', userId: 'U0EVE', userName: 'eve' }));
    await h.slackApi.waitFor(() => h.slackApi.succeeded('chat.postEphemeral').length === 1);
    expect(String(h.slackApi.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('already acknowledged');
    expect(h.pd.restCalls('PUT', /^\/incidents\//)).toHaveLength(1);
  });

  it('resolves in PagerDuty and on the card when Resolve is pressed', async () => {
    const { group, ts } = await pagedIncident(h);
    const resolve = (await h.incidents.store.get(incidentIdFor(group)))!.buttons.find((b) => b.kind === 'resolve')!;
    await postSlack(h.url, buttonBody({ actionId: 'alert.resolve', value: resolve.value, messageTs: ts, channelId: '#maestro-pager', userName: 'ada' }));
    await h.slackApi.waitFor(() => replies(ts).length === 1);
    await h.incidents.settled();
    expect(h.pd.restCalls('PUT', /^\/incidents\//)[0]!.body).toEqual({ incident: { type: 'incident_reference', status: 'resolved' } });
    expect(lastCard(ts)).toContain('Resolved by ada');
    const blocks = JSON.parse(lastCard(ts)!) as types.KnownBlock[];
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
