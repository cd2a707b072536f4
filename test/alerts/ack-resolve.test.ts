import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/core/audit.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { UNKNOWN_USERS_RULE } from '../../src/config/policy.js';
import { incidentIdFor } from '../../src/incidents/incident.js';
import type { SlackCall } from '../fakes/slack-api.js';
import { postSlack, slashCommandBody } from '../slack/support/slack-requests.js';
import { shippedWith } from '../support/catalog-fixtures.js';
import { BOB, channelCommand } from '../teams/support/activities.js';
import { type AlertHarness, pagedIncident, startAlertHarness } from './support/harness.js';
import { cardOf, slackButtons, slackPress, teamsButton, teamsPress } from './support/presses.js';

/**
 * Acknowledge and Resolve are the `ack` and `resolve` verbs: pressed on the card or
 * typed, they go through the shipped catalog's policy and leave an audit record
 * before PagerDuty is touched. Roles come from the catalog's Slack user groups, looked
 * up in the fake Slack (usergroups.users.list): on-call is S0MAESTROONCALL, developers S0MAESTRODEVS.
 */
const ONCALL = { id: 'U0ONCALL', name: 'olga' };
const DEVELOPER = { id: 'U0DEV', name: 'dev' };
const NOBODY = { id: 'U0NOBODY', name: 'nobody' };

let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('ack-resolve', { teamsAdapter: true, policy: true });
  h.slackApi.setUserGroup('S0MAESTROONCALL', [ONCALL.id]);
  h.slackApi.setUserGroup('S0MAESTRODEVS', [DEVELOPER.id]);
  h.slackApi.setUserGroup('S0MAESTROSRE', []);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slackApi.reset();
  h.pd.reset();
  h.bot!.fake.reset();
  h.audit.entries.length = 0;
});

interface Paged {
  id: string;
  number: number;
  card: SlackCall;
  ts: string;
}

async function paged(): Promise<Paged> {
  const { group, ts } = await pagedIncident(h);
  const incident = (await h.incidents.store.get(incidentIdFor(group)))!;
  const card = h.slackApi.succeeded('chat.postMessage').find((c) => String(c.response?.ts) === ts)!;
  return { id: incident.id, number: incident.number!, card, ts };
}

async function press(p: Paged, label: 'Acknowledge' | 'Resolve', user: { id: string; name: string }): Promise<void> {
  const button = slackButtons(p.card).find((b) => b.text.text === label)!;
  expect((await postSlack(h.url, slackPress(p.card, button, user))).status).toBe(200);
}

async function slash(text: string, user: { id: string; name: string }, channel = '#maestro-pager'): Promise<void> {
  expect((await postSlack(h.url, slashCommandBody({ text, user_id: user.id, user_name: user.name, channel_id: channel }))).status).toBe(200);
}

async function audited(verb: string): Promise<AuditEntry> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const entry = h.audit.entries.find((e) => e.action === verb);
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`no audit record of ${verb}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ephemerals = () => h.slackApi.succeeded('chat.postEphemeral').map((c) => String(c.body.text));
const statusPuts = () => h.pd.restCalls('PUT', /^\/incidents\//);

describe('Acknowledge and Resolve on Slack', () => {
  it('refuses Acknowledge from a user in no role by the rule for such users, audited, with PagerDuty untouched', async () => {
    const p = await paged();
    await press(p, 'Acknowledge', NOBODY);
    const entry = await audited('ack');
    expect(entry).toMatchObject({ decision: 'denied', service: 'maestro-orchestrator', env: 'prod', detail: { rule: UNKNOWN_USERS_RULE, incident: p.id } });
    await h.slackApi.waitFor(() => ephemerals().length === 1);
    expect(ephemerals()[0]).toContain(`denied by rule ${UNKNOWN_USERS_RULE}`);
    expect(statusPuts()).toHaveLength(0);
    expect((await h.incidents.store.get(p.id))!.acknowledged).toBeUndefined();
  });

  it('refuses Resolve from a developer in prod by the rule prod-changes', async () => {
    const p = await paged();
    await press(p, 'Resolve', DEVELOPER);
    expect(await audited('resolve')).toMatchObject({ decision: 'denied', detail: { rule: 'prod-changes', incident: p.id } });
    await h.slackApi.waitFor(() => ephemerals().some((t) => t.includes('denied by rule prod-changes')));
    expect(statusPuts()).toHaveLength(0);
  });

  it('acknowledges in PagerDuty, on the card and in the audit trail when on-call presses Acknowledge', async () => {
    const p = await paged();
    await press(p, 'Acknowledge', ONCALL);
    expect(await audited('ack')).toMatchObject({ decision: 'allowed', actor: { id: ONCALL.id }, detail: { incident: p.id, incidentNumber: p.number } });
    await h.slackApi.waitFor((calls) => calls.some((c) => c.body.thread_ts === p.ts && String(c.body.text).includes('Acknowledged by olga')));
    expect(statusPuts().map((c) => c.body)).toEqual([{ incident: { type: 'incident_reference', status: 'acknowledged' } }]);
    // Pressed on the card: the card and its thread say so, no extra message to the presser.
    expect(ephemerals()).toEqual([]);
  });

  it('resolves in PagerDuty and on the card when on-call presses Resolve', async () => {
    const p = await paged();
    await press(p, 'Resolve', ONCALL);
    expect(await audited('resolve')).toMatchObject({ decision: 'allowed', detail: { incident: p.id } });
    await h.slackApi.waitFor((calls) => calls.some((c) => c.body.thread_ts === p.ts && String(c.body.text).includes('Resolved by olga')));
    expect(statusPuts().map((c) => c.body)).toEqual([{ incident: { type: 'incident_reference', status: 'resolved' } }]);
  });

  it("shows the incident's number in the card footer", async () => {
    const p = await paged();
    expect(JSON.stringify(p.card.body.blocks)).toContain(`Incident ${p.number}: \\"ack ${p.number}\\" or \\"resolve ${p.number}\\"`);
  });
});

describe('ack and resolve typed', () => {
  it('acknowledges the incident whose number is given, and tells the one who typed it', async () => {
    const p = await paged();
    await slash(`ack ${p.number}`, ONCALL);
    expect(await audited('ack')).toMatchObject({ decision: 'allowed', text: `ack ${p.number}`, detail: { incident: p.id } });
    await h.slackApi.waitFor(() => ephemerals().some((t) => t.includes(`Incident ${p.number} acknowledged`)));
    expect(statusPuts().map((c) => c.body)).toEqual([{ incident: { type: 'incident_reference', status: 'acknowledged' } }]);
  });

  it('refuses a number no incident has, and changes nothing', async () => {
    await slash('resolve 99999', ONCALL);
    expect(await audited('resolve')).toMatchObject({ result: expect.stringContaining('no incident 99999 is known') });
    await h.slackApi.waitFor(() => ephemerals().some((t) => t.includes('no incident 99999 is known')));
    expect(h.pd.rest).toHaveLength(0);
  });

  it('asks for the number when typed outside the card thread without one', async () => {
    await slash('ack', ONCALL);
    await h.slackApi.waitFor(() => ephemerals().some((t) => t.includes("ack needs an incident: use it in the incident card's thread, or give the number")));
    expect(h.pd.rest).toHaveLength(0);
  });

  it('refuses a number that is not one, before anything runs', async () => {
    await slash('ack twelve', ONCALL);
    await h.slackApi.waitFor(() => ephemerals().length === 1);
    expect(ephemerals()[0]).toContain("see 'help ack'");
    expect(h.audit.entries.map((e) => e.decision)).toEqual(['parse_error']);
    expect(h.pd.rest).toHaveLength(0);
  });
});

describe('Acknowledge and ack on Teams', () => {
  async function teamsCard(): Promise<{ p: Paged; channel: string; cardId: string; body: Record<string, unknown> }> {
    const p = await paged();
    const send = h.bot!.fake.activityCalls('send').find((c) => !String(c.conversationId).includes(';messageid='))!;
    return { p, channel: send.conversationId!, cardId: send.id!, body: send.body };
  }

  it('refuses Acknowledge from a Teams user in no role, answering the invoke with the rule, with PagerDuty untouched', async () => {
    const { p, channel, cardId, body } = await teamsCard();
    const answer = await h.bot!.send(teamsPress(h.bot!.fake.url, channel, cardId, teamsButton(cardOf(body), 'Acknowledge')));
    expect(answer.status).toBe(200);
    expect(String(answer.json?.value)).toContain(`denied by rule ${UNKNOWN_USERS_RULE}`);
    expect(await audited('ack')).toMatchObject({ decision: 'denied', actor: { id: BOB.aadObjectId }, detail: { incident: p.id } });
    expect(statusPuts()).toHaveLength(0);
  });

  it("takes the incident from the card's reply chain when `ack` is typed there", async () => {
    const { p, channel, cardId } = await teamsCard();
    const inThread = channelCommand(h.bot!.fake.url, 'ack', { from: BOB, channelId: channel, threadId: cardId });
    expect((await h.bot!.send(inThread)).status).toBe(200);
    expect(await audited('ack')).toMatchObject({ decision: 'denied', text: 'ack', detail: { rule: UNKNOWN_USERS_RULE, incident: p.id } });
    expect(statusPuts()).toHaveLength(0);
  });
});

describe('ack under a rule that wants approval', () => {
  let strict: AlertHarness;
  beforeAll(async () => {
    const text = shippedWith((raw) => {
      raw.policy.rules.push({ name: 'ack-by-two', match: { verbs: ['ack'] }, effect: 'approval', approvers: ['sre'] });
    });
    strict = await startAlertHarness('ack-approval', { policy: true, catalog: parseCatalog(text, 'ack-by-two.yaml') });
    strict.slackApi.setUserGroup('S0MAESTROONCALL', [ONCALL.id]);
  });
  afterAll(async () => {
    await strict.close();
  });

  it('refuses it, naming the rule, instead of leaving the page waiting for a second person', async () => {
    const { group, ts } = await pagedIncident(strict);
    const card = strict.slackApi.succeeded('chat.postMessage').find((c) => String(c.response?.ts) === ts)!;
    const button = slackButtons(card).find((b) => b.text.text === 'Acknowledge')!;
    expect((await postSlack(strict.url, slackPress(card, button, ONCALL))).status).toBe(200);
    await strict.slackApi.waitFor(() => strict.slackApi.succeeded('chat.postEphemeral').length === 1);
    expect(String(strict.slackApi.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('denied by rule ack-by-two: ack cannot wait for approval');
    expect(strict.audit.entries.find((e) => e.action === 'ack')).toMatchObject({ decision: 'denied', detail: { rule: 'ack-by-two', incident: incidentIdFor(group) } });
    expect(strict.pd.restCalls('PUT', /^\/incidents\//)).toHaveLength(0);
  });
});
