import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentVerbs, kubernetesVerbs } from '../support/kubernetes-verbs.js';
import type { AuditEntry } from '../../src/core/audit.js';
import { parseCommand } from '../../src/core/grammar.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { UNKNOWN_USERS_RULE } from '../../src/config/policy.js';
import { incidentIdFor } from '../../src/incidents/incident.js';
import { notification } from '../fixtures/alertmanager/payloads.js';
import type { SlackCall } from '../fakes/slack-api.js';
import { postSlack } from '../slack/support/slack-requests.js';
import { BOB } from '../teams/support/activities.js';
import { type AlertHarness, catalog, startAlertHarness, teamsChannels } from './support/harness.js';
import { cardOf, slackButtons, slackPress, teamsButton, teamsPress } from './support/presses.js';

/**
 * Every suggested action of every alert in the shipped catalog, pressed as a user
 * in no role presses it: on Slack as a signed block_actions interaction, on Teams
 * as an adaptiveCard/action invoke through /api/messages. Each press runs its own
 * command through the catalog's policy: read verbs answer in the card's thread,
 * changing verbs are refused by the rule for users without a role.
 */
const registry = new ActionRegistry([...kubernetesVerbs, ...incidentVerbs]);
const run = Date.now();
const NOBODY = { id: 'U0NOBODY', name: 'nobody' };

interface Pressable {
  alert: string;
  label: string;
  verb: string;
  service: string;
  env: string;
}

/** The catalog's command for a button, read by the real grammar: which verb it runs, on which service. */
const pressables: Pressable[] = Object.entries(catalog.alerts).flatMap(([alert, spec]) =>
  spec.actions.map((a) => {
    const text = a.command.replaceAll('{service}', spec.service!).replaceAll('{env}', 'prod');
    const parsed = parseCommand(text, { registry, catalog });
    return { alert, label: a.label, verb: parsed.verb, service: parsed.service!, env: parsed.env };
  }),
);

let h: AlertHarness;
const slackCards = new Map<string, SlackCall>();
const teamsCards = new Map<string, { channel: string; id: string; body: Record<string, unknown> }>();

beforeAll(async () => {
  h = await startAlertHarness('card-presses', { sandbox: true, teamsAdapter: true, channelIntervalMs: 10, policy: true });
  for (const group of ['S0MAESTROSRE', 'S0MAESTROONCALL', 'S0MAESTRODEVS']) h.slackApi.setUserGroup(group, []);
  for (const [i, alert] of Object.keys(catalog.alerts).entries()) {
    const group = `{}:{alertname="${alert}", run="${run}"}`;
    expect((await h.notify(notification(group, [{ alertname: alert, fingerprint: `cp${String(i).padStart(14, '0')}` }]))).status).toBe(200);
  }
  await h.incidents.settled();
  const ids = new Map(teamsChannels(catalog).map((c) => [c.id, c.name]));
  for (const alert of Object.keys(catalog.alerts)) {
    const heading = `] ${alert} — `;
    slackCards.set(alert, h.slackApi.succeeded('chat.postMessage').find((c) => !c.body.thread_ts && String(c.body.text).includes(heading))!);
    const send = h.bot!.fake.activityCalls('send').find((c) => String(cardOf(c.body).fallbackText).includes(heading))!;
    expect(ids.has(send.conversationId!)).toBe(true);
    teamsCards.set(alert, { channel: send.conversationId!, id: send.id!, body: send.body });
  }
}, 90_000);
afterAll(async () => {
  await h.close();
});

async function auditOf(verb: string, actor: string): Promise<AuditEntry> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const entry = h.audit.entries.find((e) => e.action === verb && e.actor.id === actor && e.decision !== 'parse_error');
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`no audit record of ${verb} by ${actor}: ${JSON.stringify(h.audit.entries.map((e) => [e.action, e.decision]))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function expected(p: Pressable): { decision: string; rule?: string } {
  return registry.get(p.verb)!.risk === 'read' ? { decision: 'allowed' } : { decision: 'denied', rule: UNKNOWN_USERS_RULE };
}

describe('pressing suggested actions on Slack', () => {
  it.each(pressables)('$alert › $label runs `$verb` through the policy', async (p) => {
    h.audit.entries.length = 0;
    const card = slackCards.get(p.alert)!;
    const button = slackButtons(card).find((b) => b.text.text === p.label)!;
    const incident = (await h.incidents.store.get(incidentIdFor(`{}:{alertname="${p.alert}", run="${run}"}`)))!;
    const before = h.slackApi.calls.length;
    expect((await postSlack(h.url, slackPress(card, button, NOBODY))).status).toBe(200);
    const entry = await auditOf(p.verb, NOBODY.id);
    const want = expected(p);
    expect(entry).toMatchObject({ decision: want.decision, service: p.service, env: incident.env });
    expect(incident.env).toBe(p.env);
    const ts = String(card.response!.ts);
    if (want.rule) {
      expect(entry.detail).toMatchObject({ rule: want.rule });
      await h.slackApi.waitFor((calls) => calls.slice(before).some((c) => c.method === 'chat.postEphemeral' && String(c.body.text).includes(`denied by rule ${want.rule}`)));
    } else {
      await h.slackApi.waitFor((calls) => calls.slice(before).some((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts));
    }
  }, 20_000);
});

describe('pressing suggested actions on Teams', () => {
  it.each(pressables)('$alert › $label runs `$verb` through the policy', async (p) => {
    h.audit.entries.length = 0;
    const card = teamsCards.get(p.alert)!;
    const execute = teamsButton(cardOf(card.body), p.label);
    const before = h.bot!.fake.calls.length;
    const answer = await h.bot!.send(teamsPress(h.bot!.fake.url, card.channel, card.id, execute));
    expect(answer.status).toBe(200);
    const want = expected(p);
    const entry = await auditOf(p.verb, BOB.aadObjectId);
    expect(entry).toMatchObject({ decision: want.decision, service: p.service, env: p.env });
    if (want.rule) {
      expect(String(answer.json?.value)).toContain(`denied by rule ${want.rule}`);
    } else {
      const sent = h.bot!.fake.calls.slice(before).filter((c) => c.kind === 'send' && c.status === 200);
      expect(sent.map((c) => c.conversationId)).toContain(`${card.channel};messageid=${card.id}`);
    }
  }, 20_000);
});

describe('a press Teams delivers twice', () => {
  it('is answered twice and run once: one audit record, one answer in the thread', async () => {
    const p = pressables.find((candidate) => expected(candidate).decision === 'allowed')!;
    h.audit.entries.length = 0;
    const card = teamsCards.get(p.alert)!;
    const press = teamsPress(h.bot!.fake.url, card.channel, card.id, teamsButton(cardOf(card.body), p.label));
    const before = h.bot!.fake.calls.length;
    expect((await h.bot!.send(press)).status).toBe(200);
    const again = await h.bot!.send(press);
    expect(again.json).toMatchObject({ value: 'Already handled.' });
    await auditOf(p.verb, BOB.aadObjectId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.audit.entries.filter((e) => e.action === p.verb && e.actor.id === BOB.aadObjectId && e.type === 'command')).toHaveLength(1);
    const answers = h.bot!.fake.calls.slice(before).filter((c) => c.kind === 'send' && c.status === 200 && c.conversationId === `${card.channel};messageid=${card.id}`);
    expect(answers).toHaveLength(1);
  }, 20_000);
});
