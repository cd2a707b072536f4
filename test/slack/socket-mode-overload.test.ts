import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSocketMode } from '../fakes/slack-socket-mode.js';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { buttonPayload, slashCommandPayload } from './support/slack-requests.js';

let h: SlackHarness;
let socket: FakeSocketMode;
beforeAll(async () => {
  // One acknowledged request in flight at most: while it waits on Slack, the next is over the limit.
  h = await startSlackHarness('socket-overload', { appToken: 'xapp-1-A0MAESTRO-1-socketmodeoverload', capacity: 1 });
  socket = h.socket!;
});
afterAll(async () => {
  await h.close();
});

/** Keeps the one slot busy: a command whose reply Slack holds up for two seconds. */
async function fillTheOnlySlot(): Promise<void> {
  h.fake.reset();
  h.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
  socket.deliver('slash_commands', slashCommandPayload({ text: 'status maestro-orchestrator' }));
  await h.fake.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.status === 429));
}

describe('a Socket Mode burst beyond what the bot will hold', () => {
  it('turns a slash command away in its ack with a reason, and runs nothing for it', async () => {
    await fillTheOnlySlot();
    const envelope = socket.deliver('slash_commands', slashCommandPayload({ text: 'bump maestro-orchestrator' }));
    await socket.waitFor(() => socket.acksOf(envelope.envelope_id).length === 1, 2000);
    expect(socket.acksOf(envelope.envelope_id)[0]!.data.payload).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('nothing was run') });

    await h.slack.idle();
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(1);
    expect(h.audit.entries.filter((e) => e.text?.includes('bump'))).toEqual([]);
  });

  it('acks a button press over the limit and tells only the presser why nothing happened', async () => {
    await fillTheOnlySlot();
    const envelope = socket.deliver('interactive', buttonPayload({ actionId: 'plan.confirm', value: 'c-anything', messageTs: '1700000000.000001', userId: 'U0EVE', userName: 'eve' }));
    await socket.waitFor(() => socket.acksOf(envelope.envelope_id).length === 1, 2000);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    const [ephemeral] = h.fake.succeeded('chat.postEphemeral');
    expect(ephemeral!.body.user).toBe('U0EVE');
    expect(String(ephemeral!.body.text)).toContain('nothing was run');
    await h.slack.idle();
    expect(h.ports.executions).toHaveLength(0);
  });
});
