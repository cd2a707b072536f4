import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from '../slack/support/harness.js';
import { postSlack, slashCommandBody } from '../slack/support/slack-requests.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness('security-body-limit');
});
afterAll(async () => {
  await h.close();
});

describe('request bodies are size-limited per endpoint', () => {
  it('refuses an oversized, correctly signed /slack/events body with 413 and runs nothing', async () => {
    const response = await postSlack(h.url, slashCommandBody({ text: `bump maestro-orchestrator ${'x'.repeat(70 * 1024)}` }));
    expect(response.status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.fake.calls).toHaveLength(0);
    expect(h.ports.executions).toHaveLength(0);
  });
});
