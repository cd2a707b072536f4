import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { type BotProcess, startBotProcess } from '../slack/support/bot-process.js';
import { postSlack, SIGNING_SECRET, slashCommandBody, slashCommandPayload } from '../slack/support/slack-requests.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

/**
 * `npm start` with Slack over HTTP, attacked with signed requests: what the bot writes
 * anywhere (Slack, the audit stream, its log, /metrics) is checked, and it must live on.
 */
const redis = testRedis();
const prefix = testPrefix('hostile-process').replaceAll(':', '-');
/** Credentials the bot is configured with, chosen so that no pattern rule would catch them: only masking by value can. */
const CONFIGURED = {
  SLACK_BOT_TOKEN: 'xoxb-process-test-0000',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  ALERTMANAGER_TOKEN: 'plainAlertmanagerValue7Q2x9',
  PAGERDUTY_WEBHOOK_SECRET: 'pdOldSecretValue91,pdNewSecretValue42',
  GITHUB_TOKEN: 'plainGithubValue5Kw8',
};
const TYPED_SECRETS = [SIGNING_SECRET, 'plainAlertmanagerValue7Q2x9', 'pdNewSecretValue42', 'plainGithubValue5Kw8'];
/** Not configured, but a Slack user token's shape: the pattern rules hide it. */
const PASTED_TOKEN = 'xoxp-2718281828-3141592653-abcdefabcdef';

let fake: FakeSlackApi;
let bot: BotProcess;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  bot = await startBotProcess({ prefix, slackApiUrl: fake.url, env: { ...CONFIGURED, LOG_LEVEL: 'debug' } });
}, 60_000);

afterAll(async () => {
  if (bot?.process.exitCode === null) bot.process.kill('SIGKILL');
  await fake.stop();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

/** A signed request whose JSON nests `levels` deep: 60 kB for 30,000 levels, under the 64 kB limit. */
function deeplyNested(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

describe('the bot process under hostile signed Slack requests', () => {
  it('answers 400 to an Events API body nested 30,000 deep, and lives on', { timeout: 20_000 }, async () => {
    const response = await postSlack(bot.url, `{"type":"event_callback","event":${deeplyNested(30_000)}}`, { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    // Form-encoding triples each bracket: 10,000 levels is what fits in the limit.
    const form = await postSlack(bot.url, new URLSearchParams({ payload: deeplyNested(10_000) }).toString());
    expect(form.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.process.exitCode).toBeNull();
    expect((await fetch(`${bot.url}/health/live`)).status).toBe(200);
  });

  it('replies to a slash command that has no text field, instead of dropping it', { timeout: 20_000 }, async () => {
    fake.reset();
    const { text: _text, ...withoutText } = slashCommandPayload({ text: 'help' });
    expect((await postSlack(bot.url, new URLSearchParams(withoutText).toString())).status).toBe(200);
    await fake.waitFor(() => fake.succeeded('chat.postEphemeral').length === 1, 15_000);
    expect(String(fake.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('no text field, or with more than one, so nothing was run');
  });

  it('replies to a slash command whose text field is repeated, running neither', { timeout: 20_000 }, async () => {
    fake.reset();
    const form = new URLSearchParams(slashCommandPayload({ text: 'help' }));
    form.append('text', 'status');
    expect((await postSlack(bot.url, form.toString())).status).toBe(200);
    await fake.waitFor(() => fake.succeeded('chat.postEphemeral').length === 1, 15_000);
    expect(String(fake.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('nothing was run');
  });

  it('answers 400 to a slash command whose user_id is repeated', async () => {
    const form = new URLSearchParams(slashCommandPayload({ text: 'help' }));
    form.append('user_id', 'U0MALLORY');
    expect((await postSlack(bot.url, form.toString())).status).toBe(400);
  });

  it('never writes its configured secrets, or a pasted token, to Slack, the audit stream, its log or /metrics', { timeout: 40_000 }, async () => {
    fake.reset();
    const commands = [`help ${PASTED_TOKEN}`, ...TYPED_SECRETS.flatMap((s) => [`help ${s}`, `${s}`, `status ${s}`, `logs maestro-orchestrator --grep ${s}`])];
    for (const text of commands) expect((await postSlack(bot.url, slashCommandBody({ text }))).status).toBe(200);
    await fake.waitFor(() => fake.succeeded('chat.postEphemeral').length + fake.succeeded('chat.postMessage').length >= commands.length, 30_000);

    const unknown = fake.succeeded('chat.postEphemeral').map((c) => String(c.body.text)).find((t) => t.includes('[redacted]') && t.toLowerCase().includes('unknown'));
    expect(unknown).toBeDefined();
    const written = [
      JSON.stringify(fake.calls),
      JSON.stringify(fake.responses),
      JSON.stringify(await redis.xrange(`${prefix}:audit`, '-', '+')),
      bot.stderr(),
      await (await fetch(`${bot.url}/metrics`)).text(),
    ].join('\n');
    expect(written).toContain('[redacted]');
    for (const secret of [...TYPED_SECRETS, 'pdOldSecretValue91', PASTED_TOKEN]) expect(written).not.toContain(secret);
  });
});
