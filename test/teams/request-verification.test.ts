import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackTestPorts } from '../fixtures/slack-actions.js';
import { recordingLog } from '../support/recording-log.js';
import { APP_ID, channelCommand, postActivity } from './support/activities.js';
import { startTeamsHarness, type TeamsHarness } from './support/harness.js';

/*
 * Every refusal goes through the Agents SDK's real JWT validation (authorizeJWT), which
 * fetches the Bot Framework's keys from https://login.botframework.com — here the fake of
 * test/fakes/microsoft-login.ts, resolved and trusted for this test process only.
 */
let h: TeamsHarness;
const recorded = recordingLog('info');
const ports: SlackTestPorts = { executions: [] };
beforeAll(async () => {
  h = await startTeamsHarness('verification', { ports, log: recorded.log });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.login.keysUnreachable = false;
  recorded.raw.length = 0;
});

const command = () => channelCommand(h.fake.url, 'bump notification-agent --env dev');

/** Nothing reached the connector and nothing ran. */
async function expectNothingHappened(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(h.fake.activityCalls()).toHaveLength(0);
  expect(ports.executions).toHaveLength(0);
}

/** The one line the refusal was logged with. */
function refusalLines() {
  return recorded.lines().filter((line) => line.msg === 'refused a Teams request');
}

describe('Teams request verification', () => {
  it('refuses a request without a token with 401', async () => {
    const response = await postActivity(h.url, command(), undefined);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a token signed with a key the Bot Framework never published with 401', async () => {
    const response = await postActivity(h.url, command(), h.fake.forgedToken(APP_ID));
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses an unsigned token (alg: none) with 401', async () => {
    const token = h.fake.login.token({ audience: APP_ID, serviceUrl: h.fake.url, algorithm: 'none' });
    const response = await postActivity(h.url, command(), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a token under a key id the Bot Framework does not publish with 401', async () => {
    const token = h.fake.login.token({ audience: APP_ID, serviceUrl: h.fake.url, keyId: 'no-such-key' });
    const response = await postActivity(h.url, command(), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a token issued for another bot with 401', async () => {
    const token = h.fake.token({ audience: '00000000-0000-4000-8000-000000000000' });
    const response = await postActivity(h.url, command(), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a well-signed token from another issuer with 401 (the issuer check the SDK leaves off is on)', async () => {
    const token = h.fake.token({ audience: APP_ID, issuer: 'https://login.example.com' });
    const response = await postActivity(h.url, command(), token);
    expect(response.status).toBe(401);
    expect(String(refusalLines()[0]?.reason)).toMatch(/issuer/i);
    await expectNothingHappened();
  });

  it('refuses an expired token with 401', async () => {
    // Beyond the SDK's 5-minute clock tolerance.
    const token = h.fake.token({ audience: APP_ID, expiresInSeconds: -600 });
    const response = await postActivity(h.url, command(), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a valid token replayed for an activity pointing at another serviceUrl with 401', async () => {
    const token = h.fake.token({ audience: APP_ID, serviceUrl: h.fake.url });
    // Same host, another port: the SDK's own check compares host names only.
    const response = await postActivity(h.url, channelCommand('http://127.0.0.1:9/evil', 'bump notification-agent --env dev'), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('answers a forged token with 401 and no internal detail when the signing keys cannot be fetched', async () => {
    h.fake.login.keysUnreachable = true;
    const token = h.fake.login.forgedToken({ audience: APP_ID, serviceUrl: h.fake.url, keyId: 'rotated-key' });
    const response = await postActivity(h.url, command(), token);
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: 'unauthorized' });
    expect(h.fake.login.keyFetches().length).toBeGreaterThan(0);
    await expectNothingHappened();
  });

  it('logs one structured line for a refusal, with the reason, and says nothing of it to the caller', async () => {
    const response = await postActivity(h.url, command(), h.fake.token({ audience: APP_ID, expiresInSeconds: -600 }));
    expect(response.json).toEqual({ error: 'unauthorized' });
    const lines = refusalLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 401, platform: 'teams' });
    expect(String(lines[0]!.reason)).toMatch(/expired/i);
  });

  it('refuses a body over the limit with 413 before authenticating it', async () => {
    const activity = channelCommand(h.fake.url, `status ${'x'.repeat(300 * 1024)}`);
    const response = await postActivity(h.url, activity, h.fake.token({ audience: APP_ID }));
    expect(response.status).toBe(413);
    expect(h.fake.login.keyFetches()).toHaveLength(0);
    await expectNothingHappened();
  });

  it('refuses malformed JSON with 400 and no parser detail', async () => {
    const response = await postActivity(h.url, undefined, h.fake.token({ audience: APP_ID }), { raw: '{"type": "message", ' });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'bad request' });
    await expectNothingHappened();
  });

  it('refuses an empty object with 400, without fetching keys', async () => {
    const response = await postActivity(h.url, {}, h.fake.token({ audience: APP_ID }));
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'bad request' });
    expect(h.fake.login.keyFetches()).toHaveLength(0);
    await expectNothingHappened();
  });

  it('refuses a JSON array, a string and an activity without a conversation with 400', async () => {
    const token = h.fake.token({ audience: APP_ID });
    const { conversation: _conversation, ...noConversation } = command();
    for (const body of [[command()], 'message', noConversation]) {
      expect((await postActivity(h.url, body, token)).status).toBe(400);
    }
    await expectNothingHappened();
  });
});
