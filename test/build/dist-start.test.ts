import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { SIGNING_SECRET } from '../slack/support/slack-requests.js';
import { botBaseEnv } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefix = testPrefix('dist-start').replaceAll(':', '-');
let fake: FakeSlackApi;

beforeAll(() => {
  // `npm run build`, as the Dockerfile runs it.
  const build = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
  expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
}, 180_000);

afterAll(async () => {
  await fake?.stop();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

/** `node dist/main.js`, as the image's ENTRYPOINT runs it: no tsx anywhere. */
function runDist(args: string[], env: Record<string, string>, input?: string) {
  const child = spawn(process.execPath, ['dist/main.js', ...args], {
    env: { ...botBaseEnv(), REDIS_URL, REDIS_PREFIX: prefix, NODE_OPTIONS: '', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  if (input !== undefined) child.stdin!.end(input);
  return { child, stdout: () => stdout, stderr: () => stderr };
}

describe('npm run build && node dist/main.js', () => {
  it('answers in the console and exits 0', async () => {
    const run = runDist([], {}, 'help\n');
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(code, run.stderr()).toBe(0);
    expect(run.stdout()).toContain('maestro commands');
  }, 60_000);

  it('serves Slack behind the compiled edge thread, is ready, and exits 0 on SIGTERM', async () => {
    fake = await new FakeSlackApi().start();
    const run = runDist(['--role', 'web'], { SLACK_BOT_TOKEN: 'xoxb-dist-0000', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url });
    const url = await new Promise<string>((resolve, reject) => {
      run.child.stderr!.on('data', () => {
        const line = run.stderr().split('\n').find((l) => l.includes('"maestro-bot started"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      run.child.once('exit', (code) => reject(new Error(`exited ${code}: ${run.stderr()}`)));
    });
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    run.child.kill('SIGTERM');
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(code).toBe(0);
  }, 60_000);
});
