import { afterAll, describe, expect, it } from 'vitest';
import { runBot } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefix = testPrefix('service-verbs').replaceAll(':', '-');
const env = { REDIS_URL, REDIS_PREFIX: prefix, MAESTRO_SANDBOX_TICK: '50ms', PROGRESS_INTERVAL: '100ms', MAESTRO_VERIFY_WINDOW: '1s' };

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

/**
 * The verbs as the bot ships them (src/app/compose.ts), against the built-in sandbox: the
 * ports the composition root gives them reach the sandbox's own health and admin URLs.
 */
describe('health, config, deps, admin and admin run in the console', () => {
  it('answers each read at once and runs an admin action as a confirmed, audited job', { timeout: 90_000 }, async () => {
    const input = [
      'health victor-coordinators',
      'config maestro-orchestrator',
      'deps maestro-orchestrator',
      'admin victor-coordinators health-detailed',
      'admin run victor-coordinators restart-provider --provider anthropic --yes',
      'audit --limit 30',
      '',
    ].join('\n');
    const run = await runBot(input, env, 80_000);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('✔ victor-coordinators in prod: all 3 health endpoints answer OK');
    expect(out).toMatch(/ {2}ready: +200 in \d+ ms \(ready\)/);
    expect(out).toMatch(/ {2}PREMIUM_ROUTING_ENABLED: +true/);
    expect(out).toContain('maestro-orchestrator in prod: 3 of 3 dependencies healthy');
    expect(out).toContain('health-detailed of victor-coordinators in prod: healthy, cache not OK');
    expect(out).toContain('Confirmed by root: running as a job.');
    expect(out).toContain('✔ Ran restart-provider on victor-coordinators in prod');
    expect(out).toContain('restarted the anthropic provider connection');
    expect(out).toMatch(/job\.finished +admin run +victor-coordinators\/prod +Ran restart-provider on victor-coordinators in prod/);
  });

  it('refuses bad input with one clear line each and runs nothing', { timeout: 90_000 }, async () => {
    const input = [
      'admin victor-coordinators nope',
      'admin run victor-coordinators restart-provider --provider openai --yes',
      'admin run victor-coordinators restart-provider --yes',
      'config victor-coordinators',
      'health notification-agent --env dev',
      'jobs',
      '',
    ].join('\n');
    const run = await runBot(input, env, 80_000);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain("unknown admin read 'nope' for victor-coordinators (declared: health-detailed, validate-config, check-dependencies)");
    expect(out).toContain("--provider 'openai' is not one restart-provider on victor-coordinators accepts (allowed: anthropic)");
    expect(out).toContain('restart-provider on victor-coordinators needs --provider (one of: anthropic)');
    expect(out).toContain('victor-coordinators in prod has no configMap in the catalog');
    expect(out).toContain('notification-agent in dev has no health endpoint in the catalog');
    expect(out).not.toContain('running as a job');
  });
});
