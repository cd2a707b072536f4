import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/platforms/slack/block-kit.js';
import { notification } from '../fixtures/alertmanager/payloads.js';
import { problemsOf, shippedWith } from '../support/catalog-fixtures.js';
import type { SlackCall } from '../fakes/slack-api.js';
import { type AlertHarness, catalog, startAlertHarness } from './support/harness.js';
import { cardOf, slackButtons, teamsExecutes } from './support/presses.js';

/**
 * Every alert of the shipped catalog, as a new team would receive it: one card per
 * alert on Slack (fake Web API) and Teams (the real adapter, fake Bot Connector),
 * each showing every suggested action of the catalog as a button of its own, plus
 * Acknowledge and Resolve, inside each platform's limits.
 */
const alerts = Object.entries(catalog.alerts).map(([name, alert]) => ({ name, labels: alert.actions.map((a) => a.label) }));
const run = Date.now();

let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('card-actions', { teamsAdapter: true, channelIntervalMs: 10 });
  for (const [i, alert] of alerts.entries()) {
    const response = await h.notify(notification(`{}:{alertname="${alert.name}", run="${run}"}`, [{ alertname: alert.name, fingerprint: `ca${String(i).padStart(14, '0')}` }]));
    expect(response.status).toBe(200);
  }
  await h.incidents.settled();
}, 60_000);
afterAll(async () => {
  await h.close();
});

const heading = (name: string) => `] ${name} — `;

function slackCard(name: string): SlackCall {
  const cards = h.slackApi.succeeded('chat.postMessage').filter((c) => !c.body.thread_ts && String(c.body.text).includes(heading(name)));
  expect(cards).toHaveLength(1);
  return cards[0]!;
}

function teamsCard(name: string) {
  const sends = h.bot!.fake.activityCalls('send').filter((c) => String(cardOf(c.body).fallbackText).includes(heading(name)));
  expect(sends).toHaveLength(1);
  return cardOf(sends[0]!.body);
}

describe('alert cards of the shipped catalog on Slack', () => {
  it.each(alerts)('shows every suggested action of $name as its own button, then Acknowledge and Resolve', ({ name, labels }) => {
    const buttons = slackButtons(slackCard(name));
    expect(buttons.map((b) => b.text.text)).toEqual([...labels, 'Acknowledge', 'Resolve']);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);
    expect(buttons.length).toBeLessThanOrEqual(LIMITS.actionsElements);
    for (const button of buttons) {
      expect(button.action_id!.length).toBeLessThanOrEqual(LIMITS.actionId);
      expect(button.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
    }
  });

  it.each(alerts)('leaves no button of $name out to fit', ({ name }) => {
    expect(JSON.stringify(slackCard(name).body.blocks)).not.toContain('left out');
  });
});

describe('alert cards of the shipped catalog on Teams', () => {
  it.each(alerts)('shows every suggested action of $name as its own button, then Acknowledge and Resolve', ({ name, labels }) => {
    const card = teamsCard(name);
    expect((card.actions ?? []).map((a) => a.title)).toEqual([...labels, 'Acknowledge', 'Resolve']);
    const verbs = teamsExecutes(card).map((e) => e.verb);
    expect(verbs).toHaveLength(labels.length + 2);
    expect(new Set(verbs).size).toBe(verbs.length);
  });

  it.each(alerts)('leaves no button of $name out to fit', ({ name }) => {
    expect(JSON.stringify(teamsCard(name).body)).not.toContain('left out');
  });
});

describe('alert actions in the catalog', () => {
  it('refuses an alert with more suggested actions than a Teams card can show beside Acknowledge and Resolve', () => {
    const text = shippedWith((raw) => {
      const actions = raw.alerts.MaestroHighErrorRate.actions;
      actions.push({ label: 'Logs', command: 'logs {service} --env {env}' }, { label: 'Events', command: 'events {service} --env {env}' });
    });
    expect(problemsOf(text)).toEqual(['alerts.MaestroHighErrorRate.actions: at most 4 suggested actions: a card shows six buttons, and Acknowledge and Resolve take two']);
  });
});
