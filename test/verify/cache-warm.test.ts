import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheWarm } from '../../src/verbs/cache-warm/cache-warm.js';
import { PrometheusClient } from '../../src/clients/prometheus.js';
import type { Progress } from '../../src/core/message.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { sandboxEndpoints } from '../../src/verification/ports.js';
import { actionContext } from '../actions/context.js';
import { seededCluster } from '../actions/seed.js';
import { catalog, silent } from './harness.js';

let sandbox: Sandbox;
beforeAll(async () => {
  // The warm-up takes four ticks; slow enough that a 20 ms poll sees it part-way even on a busy machine.
  sandbox = await startSandbox({ catalog, rolloutIntervalMs: 250, log: silent });
});
afterAll(async () => {
  await sandbox.close();
});

function context() {
  const base = actionContext(seededCluster());
  return {
    ...base,
    ports: { metrics: new PrometheusClient({ baseUrl: sandbox.prometheusUrl }), endpoints: sandboxEndpoints(sandbox), cacheWarmPollMs: 20 },
  };
}

describe('cache warm', () => {
  it("calls the admin endpoint, reports its progress and then checks the cache hit rate", async () => {
    const ctx = context();
    const args = cacheWarm.args.parse({ service: 'victor-coordinators', coordinator: 'ChatCoordinator', items: 1000 });
    const plan = await cacheWarm.plan!(ctx, args);
    expect(plan.summary).toBe('warm the ChatCoordinator cache of victor-coordinators in prod with 1000 items');
    const seen: Progress[] = [];
    const result = (await cacheWarm.execute(ctx, args, async (p) => void seen.push(p), plan)).message;
    // The warm-up runs on the service's clock: the first report is early, not necessarily at 0.
    expect(seen[0]!.total).toBe(1000);
    expect(seen[0]!.done).toBeLessThan(1000);
    expect(seen.some((p) => p.done > 0 && p.done < 1000)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ done: 1000, total: 1000 });
    expect(result.title).toBe('Warmed the ChatCoordinator cache of victor-coordinators in prod: 1000 items');
    // The sandbox's metrics wobble slowly with the wall clock; healthy is the point.
    const hitRate = result.fields?.find((f) => f.label === 'cache_hit_rate')?.value ?? '';
    expect(hitRate).toMatch(/^\d+(\.\d)?% healthy/);
    expect(Number.parseFloat(hitRate)).toBeGreaterThanOrEqual(80);
    expect(result.severity).toBe('success');
  });

  it('refuses an unknown coordinator, naming the allowed ones', async () => {
    const args = cacheWarm.args.parse({ service: 'victor-coordinators', coordinator: 'MailCoordinator' });
    await expect(cacheWarm.plan!(context(), args)).rejects.toThrow("unknown coordinator 'MailCoordinator' for victor-coordinators (allowed: ChatCoordinator)");
  });

  it("refuses more items than the catalog's maximum, naming the range", async () => {
    const args = cacheWarm.args.parse({ service: 'victor-coordinators', items: 20000 });
    await expect(cacheWarm.plan!(context(), args)).rejects.toThrow("--items 20000 is above the catalog's limit for victor-coordinators (allowed: 1-10000)");
  });

  it('refuses a service without a cache warm-up', async () => {
    const args = cacheWarm.args.parse({ service: 'maestro-orchestrator' });
    await expect(cacheWarm.plan!(context(), args)).rejects.toThrow('maestro-orchestrator has no cache warm-up in the catalog (services that have one: victor-coordinators)');
  });
});
