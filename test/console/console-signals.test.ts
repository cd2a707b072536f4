import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { VERIFY_QUEUE } from '../../src/verification/index.js';
import { botBaseEnv } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) await cleanPrefix(redis, prefix);
  await redis.quit();
});

/** The console fed `input` then end of input, as `printf ... | npm start` would; resolves once stdout shows `until`. */
async function consoleUntil(input: string, until: string) {
  const prefix = testPrefix('console-signals').replaceAll(':', '-');
  prefixes.push(prefix);
  const env = { REDIS_URL, REDIS_PREFIX: prefix, MAESTRO_SANDBOX_TICK: '50ms', PROGRESS_INTERVAL: '100ms', MAESTRO_VERIFY_WINDOW: '10m' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...botBaseEnv(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(until)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`console exited with ${code} before '${until}'\n${stdout}\n${stderr}`)));
    child.stdin.end(input);
  });
  return { child, prefix, stdout: () => stdout };
}

const ROLLBACK = 'rollback maestro-orchestrator --env prod --yes\n';
const WAITING = 'verifying maestro-orchestrator (prod) for 10m; Ctrl-C to stop waiting — the verification record stays pending';

describe('the console at end of input and on a stop signal', () => {
  it('says at end of input which verification it is still waiting for, and for how long', async () => {
    const run = await consoleUntil(ROLLBACK, WAITING);
    run.child.kill('SIGKILL');
    await once(run.child, 'exit');
    expect(run.stdout()).toContain('Rolled back maestro-orchestrator in prod');
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops waiting on ${signal} and exits 0, leaving the verification pending in Redis`, async () => {
      const run = await consoleUntil(ROLLBACK, WAITING);
      const started = Date.now();
      run.child.kill(signal);
      const [code, killedBy] = (await once(run.child, 'exit')) as [number | null, string | null];
      expect({ code, killedBy }).toEqual({ code: 0, killedBy: null });
      expect(Date.now() - started).toBeLessThan(10_000);
      // The next check is a delayed job: another bot (or the next console) finishes the verification.
      expect(await redis.zcard(`${run.prefix}:${VERIFY_QUEUE}:delayed`)).toBeGreaterThan(0);
    }, 60_000);
  }

  it('exits 0 on SIGTERM while a command is still running, after the job has finished', async () => {
    const run = await consoleUntil(ROLLBACK, 'Roll back maestro-orchestrator in prod from revision 7');
    run.child.kill('SIGTERM');
    const [code] = (await once(run.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    // The job the worker had taken was finished, not abandoned mid-rollout.
    const jobs = await redis.keys(`${run.prefix}:*:completed`);
    expect(jobs.length).toBeGreaterThan(0);
  }, 60_000);
});
