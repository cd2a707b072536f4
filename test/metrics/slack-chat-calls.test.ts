import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/platforms/slack/index.js';
import { Metrics } from '../../src/core/metrics.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { type SlackHarness, startSlackHarness } from '../slack/support/harness.js';
import { postSlack, SIGNING_SECRET, slashCommandBody } from '../slack/support/slack-requests.js';
import { freePort } from '../support/free-port.js';
import { metricSamples } from '../support/metric-value.js';

const log = pino({ level: 'silent' });
const CALLS = 'maestro_bot_chat_calls_total';
const RETRIES = 'maestro_bot_chat_retries_total';

/**
 * Slack's Web API calls, counted where the WebClient sends them: each call once after its
 * retries, each retry by its reason. The fake (test/fakes/slack-api.ts) answers 429 with a
 * Retry-After header in seconds, as https://api.slack.com/docs/rate-limits documents, and 5xx.
 */
describe('Slack chat API calls and retries', () => {
  let fake: FakeSlackApi;
  let metrics: Metrics;
  const chatAt = (apiUrl: string) =>
    createSlackChat({
      config: { botToken: 'xoxb-metrics-1', signingSecret: SIGNING_SECRET, apiUrl, responseUrlBase: fake.hooksBase },
      log,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
      updateIntervalMs: 10,
      metrics,
    });

  beforeAll(async () => {
    fake = await new FakeSlackApi().start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    metrics = new Metrics({ defaultMetrics: false });
  });

  it('counts a post that waited out one 429 as one call and one retry for 429', { timeout: 10_000 }, async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    await chatAt(fake.url).post('C0INCIDENT', { title: 'throttled' });

    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(await metricSamples(metrics, CALLS)).toEqual({ 'platform=slack,method=chat.postMessage,outcome=ok': 1 });
    expect(await metricSamples(metrics, RETRIES)).toEqual({ 'platform=slack,method=chat.postMessage,reason=429': 1 });
  });

  it('counts an edit retried after a 503 under chat.update and 5xx', async () => {
    const chat = chatAt(fake.url);
    const ref = await chat.post('C0INCIDENT', { title: 'plan' });
    fake.failNext('chat.update', { status: 503 });
    await chat.update(ref, { title: 'plan, running' });

    expect(fake.calls.map((c) => `${c.method}/${c.status}`)).toEqual(['chat.postMessage/200', 'chat.update/503', 'chat.update/200']);
    expect(await metricSamples(metrics, CALLS)).toEqual({
      'platform=slack,method=chat.postMessage,outcome=ok': 1,
      'platform=slack,method=chat.update,outcome=ok': 1,
    });
    expect(await metricSamples(metrics, RETRIES)).toEqual({ 'platform=slack,method=chat.update,reason=5xx': 1 });
  });

  it('counts a call that never reached Slack as retried for network, then failed once', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/api/`;
    await expect(chatAt(nowhere).ephemeral('C0INCIDENT', 'U0ADA', { title: 'lost' })).rejects.toThrow(/chat.postEphemeral failed/);

    expect(await metricSamples(metrics, CALLS)).toEqual({ 'platform=slack,method=chat.postEphemeral,outcome=error': 1 });
    expect(await metricSamples(metrics, RETRIES)).toEqual({ 'platform=slack,method=chat.postEphemeral,reason=network': 2 });
  });

  it('counts a refusal Slack answers with ok:false as one failed call, never retried', async () => {
    fake.failNext('chat.postMessage', { status: 200, error: 'channel_not_found' });
    await expect(chatAt(fake.url).post('C0GONE', { title: 'hello' })).rejects.toThrow(/channel_not_found/);

    expect(await metricSamples(metrics, CALLS)).toEqual({ 'platform=slack,method=chat.postMessage,outcome=error': 1 });
    expect(await metricSamples(metrics, RETRIES)).toEqual({});
  });

  it('counts a request-scoped answer: the refused chat.postMessage and the response_url post that reached the asker', async () => {
    fake.failNext('chat.postMessage', { status: 200, error: 'not_in_channel' });
    const scoped = chatAt(fake.url).forRequest({ channel: 'G0PRIVATE', userId: 'U0ADA', responseUrl: fake.hookUrl('commands/T0001/1/metrics') });
    const ref = await scoped.post('G0PRIVATE', { title: 'status' }, { answer: true });

    expect(ref.id).toBe('response_url');
    expect(fake.responses).toHaveLength(1);
    expect(await metricSamples(metrics, CALLS)).toEqual({
      'platform=slack,method=chat.postMessage,outcome=error': 1,
      'platform=slack,method=response_url,outcome=ok': 1,
    });
  });
});

describe('Slack calls of a slash command, through the whole adapter', () => {
  let h: SlackHarness;
  const metrics = new Metrics({ defaultMetrics: false });
  beforeAll(async () => {
    h = await startSlackHarness('chat-metrics', { metrics });
  });
  afterAll(async () => {
    await h.close();
  });

  it('counts the token check and the answer posted through the request-scoped chat, each once', { timeout: 10_000 }, async () => {
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    await h.slack.idle();

    expect(await metricSamples(metrics, CALLS)).toEqual({
      'platform=slack,method=auth.test,outcome=ok': 1,
      'platform=slack,method=chat.postMessage,outcome=ok': h.fake.succeeded('chat.postMessage').length,
    });
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });
});
