import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackTestPorts } from '../fixtures/slack-actions.js';
import { APP_ID, channelCommand, postActivity } from './support/activities.js';
import { startTeamsHarness, type TeamsHarness } from './support/harness.js';

let h: TeamsHarness;
const ports: SlackTestPorts = { executions: [] };
beforeAll(async () => {
  h = await startTeamsHarness('verification', { ports });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

/** Nothing reached the connector and nothing ran. */
async function expectNothingHappened(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(h.fake.activityCalls()).toHaveLength(0);
  expect(ports.executions).toHaveLength(0);
}

describe('Teams request verification', () => {
  it('refuses a request without a token with 401', async () => {
    const response = await postActivity(h.url, channelCommand(h.fake.url, 'bump notification-agent --env dev'), undefined);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a token signed with a key the Bot Framework never published with 401', async () => {
    const response = await postActivity(h.url, channelCommand(h.fake.url, 'bump notification-agent --env dev'), h.fake.forgedToken(APP_ID));
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a token issued for another bot with 401', async () => {
    const token = h.fake.token({ audience: '00000000-0000-4000-8000-000000000000' });
    const response = await postActivity(h.url, channelCommand(h.fake.url, 'bump notification-agent --env dev'), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a token from another issuer with 401', async () => {
    const token = h.fake.token({ audience: APP_ID, issuer: 'https://login.example.com' });
    const response = await postActivity(h.url, channelCommand(h.fake.url, 'bump notification-agent --env dev'), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses an expired token with 401', async () => {
    // Beyond the SDK's 5-minute clock tolerance.
    const token = h.fake.token({ audience: APP_ID, expiresInSeconds: -600 });
    const response = await postActivity(h.url, channelCommand(h.fake.url, 'bump notification-agent --env dev'), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a valid token replayed for an activity pointing at another serviceUrl with 401', async () => {
    const token = h.fake.token({ audience: APP_ID, serviceUrl: h.fake.url });
    const response = await postActivity(h.url, channelCommand('http://127.0.0.1:9/evil', 'bump notification-agent --env dev'), token);
    expect(response.status).toBe(401);
    await expectNothingHappened();
  });

  it('refuses a body over the limit with 413 before authenticating it', async () => {
    const activity = channelCommand(h.fake.url, `status ${'x'.repeat(300 * 1024)}`);
    const response = await postActivity(h.url, activity, h.fake.token({ audience: APP_ID }));
    expect(response.status).toBe(413);
    await expectNothingHappened();
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await postActivity(h.url, undefined, h.fake.token({ audience: APP_ID }), { raw: '{"type": "message", ' });
    expect(response.status).toBe(400);
    await expectNothingHappened();
  });
});
