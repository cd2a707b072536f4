import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLog } from '../support/recording-log.js';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { postSlack, slashCommandBody } from './support/slack-requests.js';

let h: SlackHarness;
const { log, lines } = recordingLog();
beforeAll(async () => {
  h = await startSlackHarness('shutdown', { log, drainTimeoutMs: 300 });
});
afterAll(async () => {
  await h.close();
});

describe('stopping the Slack adapter', () => {
  it('waits only so long for acknowledged work, and says what it left unfinished', async () => {
    // Slack holds the reply back far longer than the drain may take.
    h.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 30 });
    expect((await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }))).status).toBe(200);
    await h.fake.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.status === 429));

    const started = performance.now();
    await h.slack.stop();
    expect(performance.now() - started).toBeLessThan(5_000);
    const line = lines().find((l) => l.msg === 'stopping with acknowledged requests unfinished');
    expect(line?.unfinished).toBe(1);
  });
});
