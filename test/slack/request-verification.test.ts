import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { postSlack, SIGNING_SECRET, signature, slashCommandBody } from './support/slack-requests.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness('verify');
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  // The previous test's accepted request may still be finishing (its audit record comes after its reply).
  await h.slack.idle();
  h.fake.reset();
  h.ports.executions.length = 0;
});

const now = () => Math.floor(Date.now() / 1000);

/** Nothing reached Slack and nothing was queued or audited. */
async function expectNothingHappened(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(h.fake.chatCalls()).toEqual([]);
  expect(h.ports.executions).toEqual([]);
  expect(h.audit.entries).toEqual([]);
}

describe('request verification on /slack/events', () => {
  beforeEach(() => {
    h.audit.entries.length = 0;
  });

  it('refuses a request signed with another secret with 401 and does nothing', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator' }), { secret: '0123456789abcdef0123456789abcdef' });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a body altered after signing', async () => {
    const signed = slashCommandBody({ text: 'status maestro-orchestrator' });
    const ts = now();
    const response = await postSlack(h.url, signed.replace('status', 'bump'), { timestamp: ts, signature: signature(SIGNING_SECRET, ts, signed) });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a request without a signature', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator' }), { omitSignature: true });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a request without a timestamp', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator' }), { omitTimestamp: true });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a correctly signed request more than five minutes old (a replay)', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator' }), { timestamp: now() - 301 });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a correctly signed request stamped more than five minutes in the future', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator' }), { timestamp: now() + 301 });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('accepts a request stamped within the window, allowing for clock skew', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }), { timestamp: now() - 240 });
    expect(response.status).toBe(200);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
  });

  it('refuses a body over 64 kB with 413 and does nothing', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: `status ${'x'.repeat(70 * 1024)}` }));
    expect(response.status).toBe(413);
    await expectNothingHappened();
  });

  it('refuses a correctly signed body that is not a Slack form or JSON with 400 and does nothing', async () => {
    const response = await postSlack(h.url, 'payload=%7Bnot-json', {});
    expect(response.status).toBe(400);
    await expectNothingHappened();
  });

  it('refuses a correctly signed JSON array with 400 and does nothing', async () => {
    const response = await postSlack(h.url, '[1,2]', { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    await expectNothingHappened();
  });

  it("answers the Events API's signed url_verification with its challenge", async () => {
    const body = JSON.stringify({ type: 'url_verification', token: 'legacy', challenge: 'c-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    const response = await postSlack(h.url, body, { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'c-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    await expectNothingHappened();
  });

  it('refuses an unsigned url_verification with 401', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'forged' });
    const response = await postSlack(h.url, body, { omitSignature: true, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(401);
    expect(response.body).not.toContain('forged');
  });

  it("answers Slack's unsigned ssl_check with 200 and does nothing else", async () => {
    const response = await postSlack(h.url, 'ssl_check=1&token=legacy', { omitSignature: true, omitTimestamp: true });
    expect(response.status).toBe(200);
    await expectNothingHappened();
  });

  it('refuses an unsigned command smuggled beside ssl_check with 401', async () => {
    const response = await postSlack(h.url, `ssl_check=0&${slashCommandBody({ text: 'bump maestro-orchestrator' })}`, { omitSignature: true });
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('answers 404 to GET /slack/events', async () => {
    const response = await fetch(`${h.url}/slack/events`);
    expect(response.status).toBe(404);
  });
});
