import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { incidentIdFor } from '../../src/incidents/incident.js';
import { highErrorRate, notification } from '../fixtures/alertmanager/payloads.js';
import { type AlertHarness, startAlertHarness } from './support/harness.js';
import { slackButtons } from './support/presses.js';
import { pageJobCards, threadNotes } from './support/thread.js';

let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('cards');
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slackApi.reset();
  h.pd.reset();
  h.teams.calls.length = 0;
});

let groups = 0;
function newGroup(): string {
  groups += 1;
  return `{}/{}:{alertname="MaestroHighErrorRate", run="${Date.now()}-${groups}"}`;
}

async function deliver(body: unknown): Promise<void> {
  const response = await h.notify(body);
  expect(response.status).toBe(200);
  await h.incidents.settled();
  await h.slackApi.waitFor(() => true);
}

const posts = () => h.slackApi.succeeded('chat.postMessage');
const topLevelPosts = () => posts().filter((c) => !c.body.thread_ts);
// The page job's card (one per page, see support/thread.ts) is not a thread note; the paging tests below check it.
const notesIn = (ts: string) => threadNotes(h.slackApi, ts);
const edits = (ts: string) => h.slackApi.succeeded('chat.update').filter((c) => c.body.ts === ts);

describe('incident cards', () => {
  it('posts one card in the service channel on Slack and Teams for the first notification', async () => {
    await deliver(highErrorRate(newGroup()));
    expect(topLevelPosts()).toHaveLength(1);
    const card = topLevelPosts()[0]!;
    expect(card.body.channel).toBe('#maestro-pager');
    expect(String(card.body.text)).toContain('MaestroHighErrorRate');
    expect(String(card.body.text)).toContain('maestro-orchestrator');
    const blocks = JSON.stringify(card.body.blocks);
    for (const text of ['P1', '1 firing, 0 resolved', 'runbooks/maestro-slo-rollback', 'prometheus.intelgraph.ai']) {
      expect(blocks).toContain(text);
    }
    // The buttons themselves, not their labels anywhere in the card (a "left out" note names them too).
    expect(slackButtons(card).map((b) => b.text.text)).toEqual(['Roll back', 'Restart', 'Status', 'Acknowledge', 'Resolve']);
    expect(h.teams.posts().map((p) => p.ref.conversation)).toEqual(['Maestro Incidents']);
  });

  it('carries opaque ids, not commands, in the button values', async () => {
    await deliver(highErrorRate(newGroup()));
    const buttons = slackButtons(topLevelPosts()[0]!);
    expect(buttons).toHaveLength(5);
    for (const button of buttons) {
      expect(button.value).toMatch(/^b[A-Za-z0-9_-]{16}$/);
    }
  });

  it('edits the card, without a thread reply, when Alertmanager repeats the notification', async () => {
    const group = newGroup();
    await deliver(highErrorRate(group));
    const ts = String(topLevelPosts()[0]!.response!.ts);
    const repeat = highErrorRate(group);
    repeat.alerts[0]!.annotations.description = 'Error rate 15% over the last 5 minutes';
    await deliver(repeat);
    expect(topLevelPosts()).toHaveLength(1);
    expect(edits(ts).length).toBeGreaterThanOrEqual(1);
    expect(notesIn(ts)).toHaveLength(0);
    // The first notification paged; the repeat adds nothing to the thread, not even a second page card.
    expect(pageJobCards(h.slackApi, ts)).toHaveLength(1);
  });

  it('replies in the thread when a new alert joins the group, and counts it on the card', async () => {
    const group = newGroup();
    await deliver(highErrorRate(group, ['fp00000000000001']));
    const ts = String(topLevelPosts()[0]!.response!.ts);
    await deliver(highErrorRate(group, ['fp00000000000001', 'fp00000000000002']));
    expect(topLevelPosts()).toHaveLength(1);
    expect(notesIn(ts)).toHaveLength(1);
    expect(String(notesIn(ts)[0]!.body.text)).toContain('New alert');
    expect(JSON.stringify(edits(ts).at(-1)!.body.blocks)).toContain('2 firing, 0 resolved');
    const teamsCard = h.teams.posts()[0]!.ref;
    expect(h.teams.replies(teamsCard.id)).toHaveLength(1);
  });

  it('marks the card resolved, replies once and resolves the PagerDuty event when the group resolves', async () => {
    const group = newGroup();
    await deliver(highErrorRate(group));
    const ts = String(topLevelPosts()[0]!.response!.ts);
    await deliver(highErrorRate(group, ['a1b2c3d4e5f60001'], 'resolved'));
    const last = edits(ts).at(-1)!;
    expect(String(last.body.text)).toContain('RESOLVED');
    expect(JSON.stringify(last.body.blocks)).not.toContain('alert.ack');
    expect(notesIn(ts).map((r) => String(r.body.text))).toEqual([expect.stringContaining('resolved')]);
    expect(h.pd.events.map((e) => e.body.event_action)).toEqual(['trigger', 'resolve']);
  });

  it('keeps every alert by fingerprint with its status in Redis', async () => {
    const group = newGroup();
    await deliver(highErrorRate(group, ['fp10', 'fp11']));
    await deliver(notification(group, [{ alertname: 'MaestroHighErrorRate', fingerprint: 'fp10', status: 'resolved' }]));
    const alerts = await h.incidents.store.alerts(incidentIdFor(group));
    expect(Object.fromEntries(alerts.map((a) => [a.fingerprint, a.status]))).toEqual({ fp10: 'resolved', fp11: 'firing' });
  });

  it('gives an alert the catalog does not know a card with the generic actions of the service its labels name', async () => {
    await deliver(notification(newGroup(), [{ alertname: 'DiskAlmostFull', fingerprint: 'ffee01', labels: { app: 'maestro-orchestrator', severity: 'warning' } }]));
    const card = topLevelPosts()[0]!;
    expect(card.body.channel).toBe('#maestro-pager');
    const blocks = JSON.stringify(card.body.blocks);
    expect(blocks).toContain('Status');
    expect(blocks).not.toContain('Roll back');
    expect(blocks).toContain('Not in the service catalog');
    expect(h.pd.events).toHaveLength(0);
  });

  it("posts an unknown alert with no service in the catalog's default alert channel, without service actions", async () => {
    await deliver(notification(newGroup(), [{ alertname: 'SomethingOdd', fingerprint: 'ffee02', labels: { namespace: 'kube-system' } }]));
    const card = topLevelPosts()[0]!;
    expect(card.body.channel).toBe('#maestro-pager');
    const blocks = JSON.stringify(card.body.blocks);
    expect(blocks).not.toContain('alert.action');
    expect(blocks).toContain('alert.ack');
  });
});

describe('PagerDuty events', () => {
  it('triggers one Events v2 event for a paging alert, with mapped severity, dedup key and a link to the thread', async () => {
    const group = newGroup();
    await deliver(highErrorRate(group));
    await deliver(highErrorRate(group));
    expect(h.pd.events).toHaveLength(1);
    const event = h.pd.events[0]!;
    expect(event.path).toBe('/v2/enqueue');
    expect(event.body).toMatchObject({ routing_key: expect.stringMatching(/^R0123/), event_action: 'trigger', dedup_key: expect.stringMatching(/^maestro-alert-/) });
    expect((event.body.payload as { severity: string }).severity).toBe('critical');
    const links = event.body.links as { href: string }[];
    expect(links.some((l) => l.href.startsWith('https://slack.com/archives/'))).toBe(true);
  });

  it("says the page in the incident thread once: the page job's card, edited in place to its result, no reply", async () => {
    const group = newGroup();
    await deliver(highErrorRate(group));
    await deliver(highErrorRate(group));
    const ts = String(topLevelPosts()[0]!.response!.ts);
    const [jobCard, ...more] = pageJobCards(h.slackApi, ts);
    expect(more).toHaveLength(0);
    const jobTs = String(jobCard!.response!.ts);
    expect(posts().filter((c) => c.body.thread_ts === jobTs)).toHaveLength(0);
    expect(String(edits(jobTs).at(-1)?.body.text)).toContain('Paged the on-call of maestro-orchestrator');
    expect(notesIn(ts)).toHaveLength(0);
  });

  it('does not page for a P2 alert', async () => {
    await deliver(notification(newGroup(), [{ alertname: 'MaestroHighLatency', fingerprint: 'lat01' }]));
    expect(topLevelPosts()).toHaveLength(1);
    expect(h.pd.events).toHaveLength(0);
  });
});
