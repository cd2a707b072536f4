import type { types } from '@slack/bolt';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackButtons, slackPress } from '../alerts/support/presses.js';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { type BotProcess, startBotProcess } from './support/bot-process.js';
import { buttonBody, postSlack, slashCommandBody } from './support/slack-requests.js';

/**
 * `npm start` as a new team runs it: the shipped config/catalog.yaml unchanged, whose
 * roles are Slack user groups only, so every permission comes from usergroups.users.list
 * on the fake Web API. The built-in sandbox cluster stands in for Kubernetes.
 */
const redis = testRedis();
const prefix = testPrefix('slack-shipped').replaceAll(':', '-');
let fake: FakeSlackApi;
let bot: BotProcess;

const sam = { user_id: 'U0SAM', user_name: 'sam' };
const sky = { userId: 'U0SKY', userName: 'sky' };
const nora = { user_id: 'U0NORA', user_name: 'nora' };
// #maestro-pager is the incident channel the shipped catalog names for maestro-orchestrator.
const pager = { channel_id: 'C0PAGER', channel_name: 'maestro-pager' };
const random = { channel_id: 'C0RANDOM', channel_name: 'random' };
const ALERTMANAGER_TOKEN = 'shipped-catalog-alertmanager-token';

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  fake.setUserGroup('S0MAESTROSRE', [sam.user_id, sky.userId]);
  fake.setUserGroup('S0MAESTROONCALL', []);
  fake.setUserGroup('S0MAESTRODEVS', []);
  bot = await startBotProcess({
    prefix,
    slackApiUrl: fake.url,
    env: { MAESTRO_SANDBOX: '1', SLACK_RESPONSE_URL_BASE: fake.hooksBase, PROGRESS_INTERVAL: '100ms', ALERTMANAGER_TOKEN },
  });
}, 30_000);

afterAll(async () => {
  if (bot?.process.exitCode === null) {
    bot.process.kill('SIGTERM');
    await Promise.race([once(bot.process, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (bot.process.exitCode === null) bot.process.kill('SIGKILL');
  }
  await fake.stop();
  await cleanPrefix(redis, prefix);
  await redis.quit();
}, 15_000);

function textOf(call: SlackCall): string {
  return `${String(call.body.text)} ${JSON.stringify(call.body.blocks ?? [])}`;
}

async function nextCall(method: string, matching: (call: SlackCall) => boolean, timeoutMs = 15_000): Promise<SlackCall> {
  await fake.waitFor(() => fake.succeeded(method).some(matching), timeoutMs);
  return fake.succeeded(method).find(matching)!;
}

function button(call: SlackCall, actionId: string): types.Button {
  const actions = (call.body.blocks as types.KnownBlock[]).find((b): b is types.ActionsBlock => b.type === 'actions')!;
  return actions.elements.find((e): e is types.Button => e.type === 'button' && e.action_id === actionId)!;
}

describe('Slack with the shipped catalog', () => {
  it('refuses a user in no group a prod rollback, saying no role allows it', async () => {
    await postSlack(bot.url, slashCommandBody({ text: 'rollback maestro-orchestrator --env prod', ...nora, ...pager }));
    const denial = await nextCall('chat.postEphemeral', (c) => c.body.user === nora.user_id);
    expect(denial.body.text).toContain('denied by rule unknown-users-read-only: nora holds no role');
  }, 20_000);

  it('refuses a member of S0MAESTROSRE a prod rollback outside the incident channels, with the rule in full', async () => {
    await postSlack(bot.url, slashCommandBody({ text: 'rollback maestro-orchestrator --env prod', ...sam, ...random }));
    const denial = await nextCall('chat.postEphemeral', (c) => c.body.user === sam.user_id && c.body.channel === random.channel_id);
    expect(denial.body.text).toContain(
      "denied by rule prod-from-incident-channels: prod is changed only from the service's incident channels or #maestro-pager. Nothing was done.",
    );
    expect(fake.succeeded('chat.postMessage').filter((c) => c.body.channel === random.channel_id)).toEqual([]);
  }, 20_000);

  it('rolls prod back for a member of S0MAESTROSRE in #maestro-pager once a second member approves', async () => {
    await postSlack(bot.url, slashCommandBody({ text: 'rollback maestro-orchestrator --env prod --reason "v2.8.0 errors"', ...sam, ...pager }));
    const card = await nextCall('chat.postMessage', (c) => c.body.channel === pager.channel_id && textOf(c).includes('Waiting for approval by sre'));
    const cardTs = String(card.response!.ts);

    const approve = button(card, 'approval.approve');
    const pressed = await postSlack(bot.url, buttonBody({ actionId: 'approval.approve', value: approve.value!, messageTs: cardTs, channelId: pager.channel_id, channelName: pager.channel_name, ...sky }));
    expect(pressed.status).toBe(200);

    await nextCall('chat.update', (c) => c.body.ts === cardTs && textOf(c).includes('Approved by sky'));
    const result = await nextCall('chat.postMessage', (c) => c.body.thread_ts === cardTs && textOf(c).includes('Rolled back maestro-orchestrator'), 30_000);
    expect(result.body.channel).toBe(pager.channel_id);
    // Progress edited the card between the approval and the result.
    expect(fake.succeeded('chat.update').filter((c) => c.body.ts === cardTs && c.at < result.at).length).toBeGreaterThan(1);

    await postSlack(bot.url, slashCommandBody({ text: 'history maestro-orchestrator', ...sam, ...pager }));
    const history = await nextCall('chat.postMessage', (c) => textOf(c).includes('Rollout history of maestro-orchestrator'));
    expect(history.body.text).toContain('Current revision: 8');
  }, 60_000);

  it('posts the MaestroHighErrorRate card with every runbook action, and each press runs its own command', async () => {
    const notified = await fetch(`${bot.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
      body: JSON.stringify(highErrorRate('{}/{}:{alertname="MaestroHighErrorRate", e2e="shipped"}')),
    });
    expect(notified.status).toBe(200);
    const card = await nextCall('chat.postMessage', (c) => !c.body.thread_ts && String(c.body.text).includes('MaestroHighErrorRate'));
    const cardTs = String(card.response!.ts);
    const buttons = slackButtons(card);
    // The runbook's three actions, then the incident's own two: each a button of its own.
    expect(buttons.map((b) => b.text.text)).toEqual(['Roll back', 'Restart', 'Status', 'Acknowledge', 'Resolve']);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);

    // What each press must lead to in the card's thread: a plan for each prod change, the status read for Status.
    const answers: Record<string, string> = {
      'Roll back': 'roll back maestro-orchestrator in prod',
      Restart: 'restart maestro-orchestrator in prod',
      Status: 'replicas',
    };
    for (const [label, expected] of Object.entries(answers)) {
      const before = fake.calls.length;
      const button = buttons.find((b) => b.text.text === label)!;
      expect((await postSlack(bot.url, slackPress(card, button, { id: sam.user_id, name: sam.user_name }))).status).toBe(200);
      await fake.waitFor(
        () => fake.calls.slice(before).some((c) => c.method === 'chat.postMessage' && c.body.thread_ts === cardTs && textOf(c).toLowerCase().includes(expected)),
        15_000,
      );
    }
  }, 60_000);
});
