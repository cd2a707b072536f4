import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LongOutput } from '../../src/core/chat-port.js';
import type { Message } from '../../src/core/message.js';
import { createSlackChat } from '../../src/platforms/slack/index.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { recordingLog } from '../support/recording-log.js';
import { SIGNING_SECRET } from './support/slack-requests.js';

const token = 'xoxb-upload-token-1234';
const lines = Array.from({ length: 300 }, (_, i) => `pod-a: line ${i} é`);
const output: LongOutput = { filename: 'maestro-orchestrator-prod.log', lines, footer: 'All 300 lines are in maestro-orchestrator-prod.log.' };
const message: Message = { title: 'Logs of maestro-orchestrator in prod', text: '300 lines from 3 pods', code: lines.slice(-20).join('\n'), footer: '280 earlier lines cut to fit the message' };

describe('Slack long output: the message, then the whole output as a file in its thread', () => {
  let fake: FakeSlackApi;
  const chat = () =>
    createSlackChat({
      config: { botToken: token, signingSecret: SIGNING_SECRET, apiUrl: fake.url, responseUrlBase: fake.hooksBase },
      log: recordingLog().log,
      retryConfig: { retries: 0 },
      updateIntervalMs: 10,
    });

  beforeAll(async () => {
    fake = await new FakeSlackApi().start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('posts, asks for an upload URL, POSTs the bytes there, then completes into the thread', async () => {
    const ref = await chat().postLong('C0INCIDENT', message, output);

    expect(fake.chatCalls().map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
    const [post] = fake.succeeded('chat.postMessage');
    expect(JSON.stringify(post!.body.blocks)).toContain('All 300 lines are in maestro-orchestrator-prod.log.');
    const content = lines.join('\n');
    const [asked] = fake.succeeded('files.getUploadURLExternal');
    expect(asked!.body).toMatchObject({ filename: 'maestro-orchestrator-prod.log', length: String(Buffer.byteLength(content)) });
    const fileId = asked!.response!.file_id as string;
    expect(fake.uploads.map((u) => [u.fileId, u.content])).toEqual([[fileId, content]]);
    const [completed] = fake.succeeded('files.completeUploadExternal');
    expect(completed!.body).toMatchObject({ channel_id: 'C0INCIDENT', thread_ts: ref.id, files: [{ id: fileId, title: 'maestro-orchestrator-prod.log' }] });
    expect(fake.uploads[0]!.at).toBeLessThanOrEqual(completed!.at);
  });

  it('never sends the bot token to the upload URL', async () => {
    await chat().postLong('C0INCIDENT', message, output);
    expect(fake.uploads).toHaveLength(1);
    expect(JSON.stringify(fake.uploads[0]!.headers)).not.toContain(token);
  });

  it('shares the file in the thread the answer was asked in', async () => {
    await chat().postLong('C0INCIDENT', message, output, { threadId: '1700000000.000001' });
    const [completed] = fake.succeeded('files.completeUploadExternal');
    expect(completed!.body.thread_ts).toBe('1700000000.000001');
  });

  it('puts the message back to its cut-to-fit footer, with why, when Slack refuses the upload', async () => {
    fake.failNext('files.getUploadURLExternal', { status: 200, error: 'missing_scope' });
    await chat().postLong('C0INCIDENT', message, output);
    await fake.waitFor(() => fake.succeeded('chat.update').length === 1);
    const text = JSON.stringify(fake.succeeded('chat.update')[0]!.body.blocks);
    expect(text).toContain('280 earlier lines cut to fit the message');
    expect(text).toContain('The full output could not be attached: missing_scope (add the missing scope from manifests/slack-app.yaml and reinstall the app).');
    expect(fake.succeeded('files.completeUploadExternal')).toHaveLength(0);
  });

  it('does not complete an upload whose bytes the upload URL refused', async () => {
    fake.failNextUpload(500);
    await chat().postLong('C0INCIDENT', message, output);
    await fake.waitFor(() => fake.succeeded('chat.update').length === 1);
    expect(JSON.stringify(fake.succeeded('chat.update')[0]!.body.blocks)).toContain('could not be attached: upload_http_500');
    expect(fake.succeeded('files.completeUploadExternal')).toHaveLength(0);
  });

  it('answers the asker alone, with the cut-to-fit footer and no file, where the bot is not in the channel', async () => {
    fake.failNext('chat.postMessage', { status: 200, error: 'not_in_channel' });
    const requester = { channel: 'C0PRIVATE', userId: 'U1', responseUrl: fake.hookUrl('commands/T1/1/abc') };
    await chat().forRequest(requester).postLong!('C0PRIVATE', message, output, { answer: true });

    expect(fake.responses).toHaveLength(1);
    const shown = JSON.stringify(fake.responses[0]!.body);
    expect(shown).toContain('280 earlier lines cut to fit the message');
    expect(shown).not.toContain('maestro-orchestrator-prod.log');
    expect(fake.calls.filter((c) => c.method.startsWith('files.'))).toEqual([]);
  });
});
