import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { type BotProcess, startBotProcess } from './support/bot-process.js';
import { postSlack, slashCommandBody } from './support/slack-requests.js';

const redis = testRedis();
const prefix = testPrefix('slack-process').replaceAll(':', '-');
let fake: FakeSlackApi;
let bot: BotProcess;
let url: string;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  bot = await startBotProcess({ prefix, slackApiUrl: fake.url });
  url = bot.url;
}, 60_000);

afterAll(async () => {
  if (bot?.process.exitCode === null) bot.process.kill('SIGKILL');
  await fake.stop();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('npm start with Slack over HTTP', () => {
  it('answers a signed /maestro help on its one listener and replies through the Web API', async () => {
    const response = await postSlack(url, slashCommandBody({ text: 'help' }));
    expect(response.status).toBe(200);
    await fake.waitFor(() => fake.succeeded('chat.postEphemeral').length === 1, 20_000);
    expect(String(fake.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('maestro commands');
  });

  it('serves health and metrics on the same listener', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('maestro_bot_');
  });

  it('refuses a forged request with 401 and replies nothing', async () => {
    fake.reset();
    const response = await postSlack(url, slashCommandBody({ text: 'help' }), { secret: '0123456789abcdef0123456789abcdef' });
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.chatCalls()).toEqual([]);
  });

  it('shuts down cleanly on SIGTERM with exit code 0', async () => {
    bot.process.kill('SIGTERM');
    const [code] = (await once(bot.process, 'exit')) as [number];
    expect(code).toBe(0);
  }, 30_000);
});

describe('npm start stopped the moment it has started', () => {
  it('still shuts down cleanly, with exit code 0, on a SIGTERM sent as soon as it says it started', async () => {
    const early = await startBotProcess({ prefix: `${prefix}-early`, slackApiUrl: fake.url });
    early.process.kill('SIGTERM');
    const [code, signal] = (await once(early.process, 'exit')) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    await cleanPrefix(redis, `${prefix}-early`);
  }, 60_000);
});
