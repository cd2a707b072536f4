import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { buttonBody, postSlack, slashCommandBody } from './support/slack-requests.js';

let h: SlackHarness;
beforeAll(async () => {
  // One acknowledged request in flight at most: while it waits on Slack, the next is over the limit.
  h = await startSlackHarness('overload', { capacity: 1 });
});
afterAll(async () => {
  await h.close();
});

describe('a burst beyond what the bot will hold', () => {
  it('turns a slash command away in its ack with a reason, and runs nothing for it', async () => {
    // The first command's reply is held up by Slack for two seconds, keeping the one slot busy.
    h.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
    const first = await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    expect(first.status).toBe(200);
    await h.fake.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.status === 429));

    const second = await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator' }));
    expect(second.status).toBe(200);
    expect(JSON.parse(second.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('nothing was run') });

    await h.slack.idle();
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(1);
    expect(h.audit.entries.filter((e) => e.text?.includes('bump'))).toEqual([]);
  });

  it('answers a button press over the limit with 503, so Slack shows the presser it failed', async () => {
    h.fake.reset();
    h.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    await h.fake.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.status === 429));

    const pressed = await postSlack(h.url, buttonBody({ actionId: 'plan.confirm', value: 'c0000000000000', messageTs: '1700000000.000001' }));
    expect(pressed.status).toBe(503);
    await h.slack.idle();
  });
});
