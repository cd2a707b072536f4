import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runBot } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
let prefix: string | undefined;
afterEach(async () => {
  if (prefix) await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

describe('the sandbox rollback drill in the console', () => {
  it('status shows the faulty release critical; the rollback ends with a verification pass and the evidence record', async () => {
    prefix = testPrefix('drill').replace(/:/g, '-');
    const run = await runBot('status maestro-orchestrator\nrollback maestro-orchestrator --env prod --yes\n', {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      MAESTRO_VERIFY_WINDOW: '5s',
      MAESTRO_SANDBOX_TICK: '100ms',
    }, 90_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/error_rate.*1\d(\.\d)?% critical/);
    expect(run.stdout).toContain('Verification passed: maestro-orchestrator in prod held for 5s after the rollback');
    expect(run.stdout).toContain('revision: 7 → 8 (the template of revision 6)');
    expect(run.stdout).toContain('verification: pass');
    const passAt = run.stdout.indexOf('Verification passed');
    expect(run.stdout.slice(passAt)).toContain('image: ghcr.io/intelgraph/maestro-orchestrator:v2.8.0 → ghcr.io/intelgraph/maestro-orchestrator:v2.7.3');
  }, 120_000);
});
