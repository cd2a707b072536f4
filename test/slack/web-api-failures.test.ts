import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat, SlackApiError } from '../../src/platforms/slack/index.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { recordingLog } from '../support/recording-log.js';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { postSlack, SIGNING_SECRET, slashCommandBody } from './support/slack-requests.js';

describe('Slack Web API failures, through the whole bot', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('failures');
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.fake.reset());

  it('waits out Retry-After on a 429 and then delivers the message', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));

    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    const [limited, delivered] = h.fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(limited!.status).toBe(429);
    expect(delivered!.at - limited!.at).toBeGreaterThanOrEqual(1000);
  });

  it('retries a 5xx with backoff and then delivers the message', async () => {
    h.fake.failNext('chat.postMessage', { status: 503 }, 2);
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));

    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status)).toEqual([503, 503, 200]);
  });
});

describe('authorization', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('authorize');
  });
  afterAll(async () => {
    await h.close();
  });

  it('checks the bot token again after a failed auth.test instead of refusing every later command', async () => {
    h.fake.failNext('auth.test', { status: 200, error: 'fatal_error' });
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    await h.fake.waitFor((calls) => calls.some((c) => c.method === 'auth.test'));
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(0);

    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    expect(h.fake.succeeded('auth.test')).toHaveLength(1);
  });
});

describe('SlackChat', () => {
  let fake: FakeSlackApi;
  let logged: string[];
  const token = 'xoxb-secret-token-9999';
  const chatFor = (updateIntervalMs = 200) => {
    const recorded = recordingLog();
    logged = recorded.raw;
    return createSlackChat({
      config: { botToken: token, signingSecret: SIGNING_SECRET, apiUrl: fake.url },
      log: recorded.log,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
      updateIntervalMs,
    });
  };

  beforeAll(async () => {
    fake = await new FakeSlackApi().start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('logs a failed call with its method and Slack error code, never the token', async () => {
    fake.failNext('chat.postMessage', { status: 200, error: 'channel_not_found' });
    const chat = chatFor();
    const failure = await chat.post('C0GONE', { title: 'hello' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SlackApiError);
    expect(failure).toMatchObject({ method: 'chat.postMessage', code: 'channel_not_found' });
    const line = logged.find((l) => l.includes('chat.postMessage'));
    expect(line).toContain('channel_not_found');
    expect(logged.join('')).not.toContain(token);
    expect(String(failure)).not.toContain(token);
  });

  it('gives a MessageRef of channel and ts that a fresh SlackChat, as in a worker process, can edit', async () => {
    const ref = await chatFor().post('C0INCIDENT', { title: 'plan' });
    const roundTripped = JSON.parse(JSON.stringify(ref));
    await chatFor().update(roundTripped, { title: 'plan, running' });

    const [update] = fake.succeeded('chat.update');
    expect(update!.body).toMatchObject({ channel: 'C0INCIDENT', ts: ref.id });
  });

  it('threads a reply under the message it answers, and a reply to a reply in the same thread', async () => {
    const chat = chatFor();
    const parent = await chat.post('C0INCIDENT', { title: 'plan' });
    const first = await chat.reply(parent, { title: 'step' });
    await chat.reply(first, { title: 'result' });

    const replies = fake.succeeded('chat.postMessage').slice(1);
    expect(replies.map((r) => r.body.thread_ts)).toEqual([parent.id, parent.id]);
  });

  it('coalesces a burst of progress edits and always sends the last one', async () => {
    const chat = chatFor(200);
    const ref = await chat.post('C0INCIDENT', { title: 'job' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => chat.update(ref, { title: 'job', progress: { done: i + 1, total: 20 } })));

    const edits = fake.succeeded('chat.update');
    expect(edits.length).toBeLessThanOrEqual(3);
    expect(String(edits.at(-1)!.body.text)).toContain('20/20');
  });

  it('spaces edits of one message by the update interval', async () => {
    const chat = chatFor(200);
    const ref = await chat.post('C0INCIDENT', { title: 'job' });
    await chat.update(ref, { title: 'a' });
    await chat.update(ref, { title: 'b' });

    const [a, b] = fake.succeeded('chat.update');
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(190);
  });

  it('sends an ephemeral message to one user in the channel', async () => {
    await chatFor().ephemeral('C0INCIDENT', 'U0ALICE', { title: 'only for you' }, { threadId: '1700000000.000001' });
    expect(fake.succeeded('chat.postEphemeral')[0]!.body).toMatchObject({ channel: 'C0INCIDENT', user: 'U0ALICE', thread_ts: '1700000000.000001' });
  });
});
