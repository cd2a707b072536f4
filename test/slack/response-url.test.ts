import type { types } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { recordingLog } from '../support/recording-log.js';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { buttonBody, postSlack, slashCommandBody } from './support/slack-requests.js';

let h: SlackHarness;
const { log, raw: logged } = recordingLog();
beforeAll(async () => {
  h = await startSlackHarness('response-url', { log });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
  logged.length = 0;
});

const notInChannel = { status: 200, error: 'not_in_channel' } as const;

/** Runs `/maestro bump <service>`; returns the posted plan's ts and the confirmation id its buttons carry. */
async function planFor(service: string): Promise<{ planTs: string; confirmId: string }> {
  await postSlack(h.url, slashCommandBody({ text: `bump ${service}` }));
  await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
  const post = h.fake.succeeded('chat.postMessage')[0]!;
  const actions = (post.body.blocks as types.KnownBlock[]).find((b): b is types.ActionsBlock => b.type === 'actions')!;
  const confirm = actions.elements.find((e): e is types.Button => e.type === 'button' && e.action_id === 'plan.confirm')!;
  return { planTs: String(post.response!.ts), confirmId: confirm.value! };
}

describe('answers for one person where the bot is not a member', () => {
  it('tells the person who mistyped a command through its response_url when chat.postEphemeral answers not_in_channel', async () => {
    h.fake.failNext('chat.postEphemeral', notInChannel);
    await postSlack(h.url, slashCommandBody({ text: 'frobnicate everything', channel_id: 'G0PRIVATE', response_url: h.fake.hookUrl('commands/T0001/1/typo') }));

    await h.fake.waitFor(() => h.fake.responses.length === 1);
    const [refused] = h.fake.calls.filter((c) => c.method === 'chat.postEphemeral');
    const [answer] = h.fake.responses;
    expect(answer!.path).toBe('/hooks/commands/T0001/1/typo');
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer!.body.text).toContain('frobnicate');
    expect({ text: answer!.body.text, blocks: answer!.body.blocks }).toEqual({ text: refused!.body.text, blocks: refused!.body.blocks });
  });

  it('never calls a response_url outside the allowed base, and logs the refusal with the failed call and its hint', async () => {
    const stranger = await new FakeSlackApi().start();
    try {
      h.fake.failNext('chat.postEphemeral', notInChannel);
      await postSlack(h.url, slashCommandBody({ text: 'frobnicate everything', response_url: stranger.hookUrl('commands/T0001/1/elsewhere') }));

      await expect.poll(() => logged.some((l) => l.includes('Slack API call chat.postEphemeral failed: not_in_channel'))).toBe(true);
      await h.slack.idle();
      expect(stranger.responses).toHaveLength(0);
      expect(h.fake.responses).toHaveLength(0);
      const refusal = logged.find((l) => l.includes('response_url refused'));
      expect(refusal).toContain(new URL(stranger.url).origin);
      expect(logged.join('')).toContain('invite the bot to the channel');
      // The URL is a credential for the conversation: its path never reaches the log.
      expect(logged.join('')).not.toContain('elsewhere');
    } finally {
      await stranger.stop();
    }
  });

  it('tells the presser through the response_url that a cancelled plan cannot be confirmed when chat.postEphemeral answers channel_not_found', async () => {
    const { confirmId, planTs } = await planFor('maestro-orchestrator');
    await postSlack(h.url, buttonBody({ actionId: 'plan.cancel', value: confirmId, messageTs: planTs }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.update').length > 0);
    h.fake.failNext('chat.postEphemeral', { status: 200, error: 'channel_not_found' });
    await postSlack(
      h.url,
      buttonBody({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs, userId: 'U0EVE', userName: 'eve', responseUrl: h.fake.hookUrl('actions/T0001/2/eve') }),
    );

    await h.fake.waitFor(() => h.fake.responses.length === 1);
    const [answer] = h.fake.responses;
    expect(answer!.path).toBe('/hooks/actions/T0001/2/eve');
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer!.body.text).toContain('cancelled by bob');
    expect(h.ports.executions).toHaveLength(0);
  });

  it('uses the response_url only for an ephemeral Slack refused, not for one chat.postEphemeral delivered', async () => {
    await postSlack(h.url, slashCommandBody({ text: 'frobnicate once', response_url: h.fake.hookUrl('commands/T0001/3/delivered') }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    await h.slack.idle();
    h.fake.failNext('chat.postEphemeral', notInChannel);
    await postSlack(h.url, slashCommandBody({ text: 'frobnicate twice', response_url: h.fake.hookUrl('commands/T0001/4/refused') }));

    await h.fake.waitFor(() => h.fake.responses.length === 1);
    await h.slack.idle();
    expect(h.fake.responses.map((r) => r.path)).toEqual(['/hooks/commands/T0001/4/refused']);
  });
});

describe('answers of read-only commands where the bot is not a member', () => {
  it('gives the asker the answer itself through the response_url, with how to get plans and results there, when chat.postMessage answers channel_not_found', async () => {
    h.fake.failNext('chat.postMessage', { status: 200, error: 'channel_not_found' });
    await postSlack(h.url, slashCommandBody({ text: 'status maestro-orchestrator', channel_id: 'G0PRIVATE', response_url: h.fake.hookUrl('commands/T0001/5/status') }));

    await h.fake.waitFor(() => h.fake.responses.length === 1);
    await h.slack.idle();
    const [answer] = h.fake.responses;
    expect(answer!.path).toBe('/hooks/commands/T0001/5/status');
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer!.body.text).toContain('Status of maestro-orchestrator');
    expect(answer!.body.text).not.toContain('Something went wrong');
    const blocks = answer!.body.blocks as types.KnownBlock[];
    const last = blocks.at(-1) as types.ContextBlock;
    expect(last.type).toBe('context');
    expect(JSON.stringify(last.elements)).toContain('invite the bot (/invite @maestro) to get plans and results here');
    expect(h.fake.calls.filter((c) => c.method === 'chat.postEphemeral')).toHaveLength(0);
  });

  it('logs the refused post as information, not as a failure', async () => {
    h.fake.failNext('chat.postMessage', { status: 200, error: 'not_in_channel' });
    await postSlack(h.url, slashCommandBody({ text: 'status', channel_id: 'G0PRIVATE', response_url: h.fake.hookUrl('commands/T0001/6/status') }));

    await h.fake.waitFor(() => h.fake.responses.length === 1);
    await h.slack.idle();
    expect(logged.some((l) => l.includes('answered through the response_url') && l.includes('not_in_channel'))).toBe(true);
    expect(logged.some((l) => l.includes('"level":50'))).toBe(false);
  });
});

describe('plans where the bot is not a member', () => {
  it('tells the requester to invite the bot, through the response_url, instead of an internal error, and runs nothing', async () => {
    h.fake.failNext('chat.postMessage', { status: 200, error: 'channel_not_found' });
    h.fake.failNext('chat.postEphemeral', { status: 200, error: 'channel_not_found' });
    await postSlack(h.url, slashCommandBody({ text: 'bump maestro-orchestrator', channel_id: 'G0PRIVATE', response_url: h.fake.hookUrl('commands/T0001/7/bump') }));

    await h.fake.waitFor(() => h.fake.responses.length === 1);
    await h.slack.idle();
    const text = String(h.fake.responses[0]!.body.text);
    expect(text).toContain('The bot cannot post in this channel (channel_not_found): invite it with /invite @maestro to get plans and results here.');
    expect(text).not.toContain('Something went wrong');
    expect(h.ports.executions).toHaveLength(0);
  });
});
