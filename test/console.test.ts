import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBot } from './support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from './support/redis.js';

const redis = testRedis();
const prefix = testPrefix('console').replaceAll(':', '-');
const env = { REDIS_URL, REDIS_PREFIX: prefix, MAESTRO_SANDBOX_TICK: '50ms', PROGRESS_INTERVAL: '100ms', MAESTRO_VERIFY_WINDOW: '1s' };

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('the console adapter, end to end as a child process', () => {
  it('prints the command list for help and exits 0', async () => {
    const run = await runBot('help\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('maestro commands');
    for (const verb of ['status', 'history', 'rollback', 'restart', 'scale', 'flag', 'provider', 'logs', 'events', 'jobs']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${verb}:`, 'm'));
    }
  });

  it('answers a misspelt command with did-you-mean, and exits 0', async () => {
    const run = await runBot('rolback\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("unknown command 'rolback' — did you mean 'rollback'? Try 'help'.");
  });

  it('accepts a leading /maestro and skips blank lines and comments', async () => {
    const run = await runBot('\n# a comment\n/maestro help rollback\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rollback <service>');
    expect(run.stdout).not.toContain('That did not work');
  });

  it('starts the sandbox by itself, and says so on stderr, when there is no kubeconfig at all (the newcomer path)', async () => {
    const run = await runBot('', { ...env, MAESTRO_SANDBOX: '' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/using the built-in sandbox cluster at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toBe('');
  });

  it('refuses a protected change from a script without --yes, and changes nothing', async () => {
    const run = await runBot('rollback maestro-orchestrator --env prod\nstatus maestro-orchestrator\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('add --yes to run it from a script. Nothing was changed.');
    expect(run.stdout).toMatch(/Revision: +7\n/);
  });

  it('rolls back with --yes: plan, progress, result, then the good image at the next revision', async () => {
    const run = await runBot('rollback maestro-orchestrator --env prod --yes\nstatus maestro-orchestrator\n', env);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Roll back maestro-orchestrator in prod from revision 7');
    expect(out).toMatch(/\[[#.]{20}\] \d\/2/);
    expect(out).toContain('Rolled back maestro-orchestrator in prod');
    const status = out.slice(out.lastIndexOf('maestro-orchestrator in prod\n'));
    expect(status).toMatch(/Revision: +8\n/);
    expect(status).toContain('ghcr.io/intelgraph/maestro-orchestrator:v2.7.3');
  });

  it('answers audit through the wiring compose.ts builds: the trail it reads is the one the requests were written to', async () => {
    // The audit verb's port must be the readable Redis stream (a write-only sink here once made it "something went wrong").
    const run = await runBot('status maestro-orchestrator\naudit --service maestro-orchestrator\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('something went wrong');
    expect(run.stdout).toMatch(/Audit trail: \d+ records \(maestro-orchestrator, last 24h\)/);
    expect(run.stdout).toMatch(/command allowed\s+status\s+maestro-orchestrator\/prod/);
  });

  it('exits non-zero within 5 s, naming REDIS_URL, when Redis does not answer', async () => {
    const run = await runBot('help\n', { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      "maestro-bot: Redis at REDIS_URL=redis://127.0.0.1:1 did not answer (ECONNREFUSED); start one with 'redis-server --daemonize yes' or set REDIS_URL",
    ]);
    expect(run.ms).toBeLessThan(5000 + 3000); // 5 s budget plus the TypeScript loader's start-up on a busy machine
  });

  it('stops on a malformed variable with its name and no stack trace', async () => {
    const run = await runBot('help\n', { ...env, PORT: 'eighty' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("PORT: expected a port number 0-65535 (0: any free port), got 'eighty'");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops on a broken catalog, listing each problem by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maestro-catalog-'));
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, 'defaults: { env: prod }\nenvironments: { prod: { protected: true } }\nservices:\n  x:\n    description: d\n    owner: o\n    channels: {}\n    envs:\n      prod: { deployment: x }\nalerts: {}\n');
    const run = await runBot('help\n', { ...env, MAESTRO_CATALOG: file });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('services.x.envs.prod.namespace: required');
    expect(run.stderr).toContain('services.x.envs.prod.selector: required');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
