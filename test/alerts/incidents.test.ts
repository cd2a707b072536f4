import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/message.js';
import { notification } from '../fixtures/alertmanager/notifications.js';
import { type AlertsHarness, startAlertsHarness } from './harness.js';

const GROUP = '{}:{alertname="MaestroHighErrorRate"}';
const first = { alertname: 'MaestroHighErrorRate', fingerprint: 'fp1', labels: { pod: 'maestro-orchestrator-1' } };
const second = { alertname: 'MaestroHighErrorRate', fingerprint: 'fp2', labels: { pod: 'maestro-orchestrator-2' } };

let h: AlertsHarness;

afterEach(async () => {
  await h.close();
});

async function deliver(body: unknown): Promise<void> {
  const res = await h.send(body);
  expect(res.status).toBe(200);
  await h.settled();
}

function buttons(message: Message | undefined) {
  return message?.actions?.map((a) => ({ id: a.id, label: a.label, style: a.style }));
}

function field(message: Message | undefined, label: string): string | undefined {
  return message?.fields?.find((f) => f.label === label)?.value;
}

describe('an Alertmanager group as an incident card', () => {
  it('posts one card per catalog channel on every platform, with the catalog buttons', async () => {
    h = await startAlertsHarness('first');
    await deliver(notification(GROUP, [first]));
    const [slackCard, ...moreSlack] = h.slack.posts();
    const [teamsCard, ...moreTeams] = h.teams.posts();
    expect(moreSlack).toEqual([]);
    expect(moreTeams).toEqual([]);
    expect(slackCard!.ref.conversation).toBe('#maestro-pager');
    expect(teamsCard!.ref.conversation).toBe('Maestro Incidents');
    for (const card of [slackCard!, teamsCard!]) {
      expect(card.message.title).toBe('MaestroHighErrorRate — maestro-orchestrator');
      expect(card.message.severity).toBe('critical');
      expect(field(card.message, 'Status')).toBe('firing 1');
      expect(field(card.message, 'Runbook')).toBe('https://docs.intelgraph.ai/runbooks/maestro-slo-rollback');
      expect(field(card.message, 'Generator')).toMatch(/^http:\/\/prometheus\.example/);
      expect(buttons(card.message)).toEqual([
        { id: 'alert.action', label: 'Roll back', style: 'danger' },
        { id: 'alert.action', label: 'Restart', style: 'default' },
        { id: 'alert.action', label: 'Status', style: 'primary' },
      ]);
      expect(card.message.actions!.every((a) => /^[0-9a-f]{24}$/.test(a.value ?? ''))).toBe(true);
    }
  });

  it('posts nothing new and replies nothing when the same notification repeats', async () => {
    h = await startAlertsHarness('repeat');
    await deliver(notification(GROUP, [first]));
    // A repeat_interval re-send is a new HTTP request with a different body order but the same content.
    await deliver(notification(GROUP, [first], { truncatedAlerts: 0, receiver: 'maestro-bot' }));
    await deliver({ ...notification(GROUP, [first]), externalURL: 'http://alertmanager-2.example' });
    expect(h.slack.posts()).toHaveLength(1);
    expect(h.teams.posts()).toHaveLength(1);
    expect(h.slack.calls.filter((c) => c.kind === 'reply')).toEqual([]);
    expect(h.teams.calls.filter((c) => c.kind === 'reply')).toEqual([]);
  });

  it('edits the card and replies once in its thread when a new alert joins the group', async () => {
    h = await startAlertsHarness('new-alert');
    await deliver(notification(GROUP, [first]));
    await deliver(notification(GROUP, [first, second]));
    for (const chat of [h.slack, h.teams]) {
      const card = chat.posts()[0]!;
      expect(chat.posts()).toHaveLength(1);
      expect(field(chat.current(card.ref.id), 'Status')).toBe('firing 2');
      const replies = chat.replies(card.ref.id);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.message.title).toBe('A new alert is firing');
      expect(replies[0]!.message.text).toContain('pod=maestro-orchestrator-2');
    }
  });

  it('edits the card to resolved and replies once when every alert resolves', async () => {
    h = await startAlertsHarness('resolved');
    await deliver(notification(GROUP, [first, second]));
    await deliver(notification(GROUP, [{ ...first, status: 'resolved' }, { ...second, status: 'resolved' }]));
    for (const chat of [h.slack, h.teams]) {
      const card = chat.posts()[0]!;
      const now = chat.current(card.ref.id);
      expect(now?.severity).toBe('success');
      expect(field(now, 'Status')).toBe('resolved 2');
      const replies = chat.replies(card.ref.id);
      expect(replies.map((r) => r.message.title)).toEqual(['Resolved: MaestroHighErrorRate — maestro-orchestrator']);
      expect(replies[0]!.message.severity).toBe('success');
    }
  });

  it('edits without a reply when one of several alerts resolves', async () => {
    h = await startAlertsHarness('partial');
    await deliver(notification(GROUP, [first, second]));
    await deliver(notification(GROUP, [first, { ...second, status: 'resolved' }]));
    const card = h.slack.posts()[0]!;
    expect(field(h.slack.current(card.ref.id), 'Status')).toBe('firing 1, resolved 1');
    expect(h.slack.replies(card.ref.id)).toEqual([]);
  });

  it('replies when the group escalates to a higher severity', async () => {
    h = await startAlertsHarness('escalation');
    const latency = { alertname: 'MaestroHighLatency', fingerprint: 'lat1' };
    const errors = { alertname: 'MaestroHighErrorRate', fingerprint: 'err1' };
    const group = '{}:{service="maestro-orchestrator"}';
    await deliver(notification(group, [latency]));
    const card = h.slack.posts()[0]!;
    expect(card.message.severity).toBe('warning');
    await deliver(notification(group, [latency, errors]));
    expect(h.slack.current(card.ref.id)?.severity).toBe('critical');
    expect(field(h.slack.current(card.ref.id), 'Severity')).toBe('P1');
    const replies = h.slack.replies(card.ref.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.message.text).toContain('Severity escalated from P2 to P1.');
  });

  it('posts a card with the generic actions for an alert the catalog does not know', async () => {
    h = await startAlertsHarness('unknown');
    await deliver(notification('{}:{alertname="SomethingOdd"}', [{ alertname: 'SomethingOdd', fingerprint: 'odd1', labels: { service: 'maestro-orchestrator' } }]));
    const card = h.slack.posts()[0]!;
    expect(card.ref.conversation).toBe('#maestro-pager');
    expect(card.message.title).toBe('SomethingOdd — maestro-orchestrator');
    expect(card.message.severity).toBe('info');
    expect(field(card.message, 'Severity')).toBe('P3');
    expect(buttons(card.message)).toEqual([{ id: 'alert.action', label: 'Status', style: 'primary' }]);
  });

  it('sends an alert of no catalog service to the fallback channel', async () => {
    h = await startAlertsHarness('fallback', { fallbackSlack: ['#alerts-unrouted'] });
    await deliver(notification('{}:{alertname="DiskFull"}', [{ alertname: 'DiskFull', fingerprint: 'disk1', labels: { service: 'billing' } }]));
    expect(h.slack.posts().map((p) => p.ref.conversation)).toEqual(['#alerts-unrouted']);
    expect(h.teams.posts()).toEqual([]);
    // `status {service}` cannot be filled for an alert without a service.
    expect(h.slack.posts()[0]!.message.actions).toBeUndefined();
  });

  it('only logs an alert of no catalog service when no fallback channel is configured', async () => {
    h = await startAlertsHarness('nowhere');
    await deliver(notification('{}:{alertname="DiskFull"}', [{ alertname: 'DiskFull', fingerprint: 'disk1' }]));
    expect(h.slack.calls).toEqual([]);
    expect(h.teams.calls).toEqual([]);
  });

  it('coalesces a burst for one group into one edit per card', async () => {
    h = await startAlertsHarness('burst', { chatDelayMs: 300 });
    expect((await h.send(notification(GROUP, [first]))).status).toBe(200);
    // Lands while the first card is still being posted.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const burst = [2, 3, 4, 5].map((n) =>
      notification(GROUP, [first, ...Array.from({ length: n - 1 }, (_, i) => ({ ...second, fingerprint: `fp-b${i}`, labels: { pod: `p${i}` } }))]),
    );
    for (const res of await Promise.all(burst.map((b) => h.send(b)))) expect(res.status).toBe(200);
    await h.settled();
    for (const chat of [h.slack, h.teams]) {
      const card = chat.posts()[0]!;
      expect(chat.posts()).toHaveLength(1);
      expect(chat.updates(card.ref.id)).toHaveLength(1);
      expect(field(chat.current(card.ref.id), 'Status')).toBe('firing 5');
      expect(chat.replies(card.ref.id)).toHaveLength(1);
      expect(chat.replies(card.ref.id)[0]!.message.title).toBe('4 new alerts are firing');
    }
  });
});
