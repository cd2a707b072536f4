import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { ALERTMANAGER_TOKEN, type AlertHarness, startAlertHarness } from './support/harness.js';

let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('receiver');
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slackApi.reset();
  h.pd.reset();
});

async function nothingPosted(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(h.slackApi.chatCalls()).toHaveLength(0);
  expect(await h.incidents.queue.queue.count()).toBe(0);
}

describe('POST /webhooks/alertmanager', () => {
  it('refuses a notification without credentials with 401 and posts nothing', async () => {
    const response = await h.notify(highErrorRate(), { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
    await nothingPosted();
  });

  it('refuses a wrong bearer token with 401', async () => {
    const response = await h.notify(highErrorRate(), { 'content-type': 'application/json', authorization: `Bearer ${ALERTMANAGER_TOKEN}x` });
    expect(response.status).toBe(401);
    await nothingPosted();
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await h.notify('{"version": "4", "groupKey": ', undefined);
    expect(response.status).toBe(400);
    await nothingPosted();
  });

  it('refuses a body that is not a version 4 payload with 400, naming the problem', async () => {
    const response = await h.notify({ ...highErrorRate(), version: '3' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('version');
    await nothingPosted();
  });

  it('refuses a body over 1 MB with 413', async () => {
    const big = highErrorRate();
    big.alerts[0]!.annotations.description = 'x'.repeat(1_100_000);
    const response = await h.notify(big);
    expect(response.status).toBe(413);
    await nothingPosted();
  });

  it('accepts a valid notification with 200 before any card is posted', async () => {
    const started = performance.now();
    const response = await h.notify(highErrorRate('{}:{alertname="receiver-accept"}'));
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    await h.incidents.settled();
  });
});
