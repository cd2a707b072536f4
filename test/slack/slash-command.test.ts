import type { types } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blockKitViolations } from './support/block-kit-limits.js';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { postSlack, slashCommandBody } from './support/slack-requests.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness('command');
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  // Whatever the previous test's requests still had in hand must not land in this one's counts.
  await h.slack.idle();
  h.fake.reset();
  h.audit.entries.length = 0;
});

const blocksOf = (body: Record<string, unknown>) => body.blocks as types.KnownBlock[];

describe('slash commands over /slack/events', () => {
  it('acknowledges within 3 seconds and posts the plan with Confirm and Cancel in the channel', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator' }));
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(3000);

    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    const [post] = h.fake.succeeded('chat.postMessage');
    expect(post!.body.channel).toBe('C0INCIDENT');
    expect(post!.body.text).toContain('Bump maestro-orchestrator in prod from 1 to 2');
    const actions = blocksOf(post!.body).find((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toContain('"action_id":"plan.confirm"');
    expect(JSON.stringify(actions)).toContain('"action_id":"plan.cancel"');
  });

  it('acknowledges before the slow part: the ack is back while its reply still waits on Slack', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
    const response = await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(1000);
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(0);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
  });

  it('authenticates to the Web API with the bot token as a bearer header', async () => {
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    expect(h.fake.succeeded('chat.postMessage')[0]!.headers.authorization).toBe('Bearer xoxb-test-token-1234');
  });

  it('answers a read command with a message in the channel', async () => {
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    expect(h.fake.succeeded('chat.postMessage')[0]!.body.text).toContain('Status of maestro-orchestrator in prod');
    expect(h.fake.succeeded('chat.postEphemeral')).toHaveLength(0);
  });

  it('tells only the person who typed it about a command it cannot parse', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'frobnicate everything', user_id: 'U0CAROL' }));
    expect(response.status).toBe(200);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    const [ephemeral] = h.fake.succeeded('chat.postEphemeral');
    expect(ephemeral!.body.user).toBe('U0CAROL');
    expect(ephemeral!.body.channel).toBe('C0INCIDENT');
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(0);
  });

  it('records the Slack user as the actor and the team and channel as the conversation', async () => {
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator', user_id: 'U0DAVE', user_name: 'dave' }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    await expect.poll(() => h.audit.entries.length).toBeGreaterThan(0);
    const entry = h.audit.entries[0]!;
    expect(entry.actor).toEqual({ id: 'U0DAVE', name: 'dave', platform: 'slack' });
    expect(entry.conversation).toEqual({ id: 'C0INCIDENT', name: 'incident', teamId: 'T0001' });
  });

  it('posts one plan when Slack retries the same command delivery', async () => {
    const body = slashCommandBody({ text: 'bump maestro-orchestrator' });
    const first = await postSlack(h.url, body);
    const retry = await postSlack(h.url, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(1);
  });

  it('shortens a 60-field status with a note and still posts valid Block Kit', async () => {
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator --fields 60' }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    const { body } = h.fake.succeeded('chat.postMessage')[0]!;
    expect(blockKitViolations({ text: body.text as string, blocks: blocksOf(body) })).toEqual([]);
    expect(JSON.stringify(blocksOf(body).at(-1))).toContain('20 more fields not shown');
  });
});
