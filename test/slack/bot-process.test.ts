import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';
import { postSlack, SIGNING_SECRET, slashCommandBody } from './support/slack-requests.js';

const redis = testRedis();
const prefix = testPrefix('slack-process').replaceAll(':', '-');
let fake: FakeSlackApi;
let bot: ChildProcess;
let url: string;
let stderr = '';

/** `npm start` with Slack configured: resolves with the URL from the bot's 'started' log line. */
function startBot(): Promise<string> {
  bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      KUBECONFIG: '/nonexistent',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      MAESTRO_SANDBOX_TICK: '50ms',
      SLACK_BOT_TOKEN: 'xoxb-process-test-0000',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    bot.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const started = stderr.split('\n').find((line) => line.includes('"maestro-bot started"'));
      if (started) resolve((JSON.parse(started) as { url: string }).url);
    });
    bot.once('exit', (code) => reject(new Error(`bot exited with ${code} before starting:\n${stderr}`)));
  });
}

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  url = await startBot();
}, 60_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill('SIGKILL');
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
    bot.kill('SIGTERM');
    const [code] = (await once(bot, 'exit')) as [number];
    expect(code).toBe(0);
  }, 30_000);
});
