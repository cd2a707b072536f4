import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/clients/prometheus.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { fillQuery } from '../../src/core/health.js';
import { startVerification, type Verification } from '../../src/verification/index.js';
import type { VerifyJobData } from '../../src/verification/verify-data.js';
import { FakePrometheus } from '../fakes/prometheus.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { MemoryAudit } from '../jobs/harness.js';
import { shippedWith } from '../support/catalog-fixtures.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { FakeResolver, silent } from './harness.js';

/**
 * The catalog's indicators are `rate(...[range])`: right after a good rollback they still
 * average the bad release's minutes. A critical reading inside that range is not yet a
 * verdict on the change; past it (or from the health endpoint) it is.
 */
const redis = testRedis();
let prefix = '';
let prometheus: FakePrometheus | undefined;
let verification: Verification | undefined;

afterEach(async () => {
  await verification?.close();
  await prometheus?.stop();
  await cleanPrefix(redis, prefix);
});

async function verifyWithRange(range: string, resolver: FakeResolver, chat: RecordingChat) {
  const catalog = parseCatalog(
    shippedWith((raw) => {
      raw.defaults.range = range;
    }),
  );
  prefix = testPrefix('verify-settling');
  prometheus = await new FakePrometheus().start();
  const env = catalog.services['maestro-orchestrator']!.envs.prod!;
  const errorRate = fillQuery(catalog.services['maestro-orchestrator']!.indicators.error_rate!.query, {
    namespace: env.namespace,
    deployment: env.deployment,
    service: 'maestro-orchestrator',
  });
  // The first check still sees the bad release in its range; from the second on, the rollback.
  prometheus.set(errorRate, 0.12);
  verification = await startVerification({
    connection: redis,
    prefix,
    catalog,
    audit: new MemoryAudit(),
    chat: () => chat,
    log: silent,
    metrics: new PrometheusClient({ baseUrl: prometheus.url }),
    // No health endpoint to probe: the indicators alone decide.
    endpoints: { health: () => undefined, admin: () => undefined },
    resolver,
  });
  const data: VerifyJobData = {
    id: `settling-${range}`,
    service: 'maestro-orchestrator',
    env: 'prod',
    action: 'rollback',
    jobNumber: 1,
    actor: { id: 'ada', name: 'ada', platform: 'console' },
    requestId: 'r1',
    messageRef: { platform: 'console', conversation: 'console', id: 'job-card' },
    startedAt: Date.now(),
    windowMs: 3000,
    intervalMs: 1000,
    check: 1,
  };
  await verification.queue.schedule(data);
  const first = Date.now() + 1500;
  const healed = (async () => {
    while (Date.now() < first) await new Promise((resolve) => setTimeout(resolve, 50));
    prometheus!.set(errorRate, 0.002);
  })();
  await verification.settled();
  await healed;
  return chat.replies('job-card').map((r) => r.message.title);
}

describe('verification right after the mitigation', () => {
  it('holds through a critical reading that still averages the range before the change, and passes once it clears', async () => {
    const resolver = new FakeResolver();
    const chat = new RecordingChat('console');
    const titles = await verifyWithRange('1m', resolver, chat);
    expect(titles.some((t) => t.startsWith('Verification passed'))).toBe(true);
    expect(titles.some((t) => t.startsWith('Regression'))).toBe(false);
    expect(resolver.repaged).toEqual([]);
    const settling = chat.calls.filter((c) => (c.kind === 'update' || c.kind === 'reply') && String(c.message.text).includes('settling'));
    expect(settling[0]?.message.text).toMatch(/error_rate 12(\.0)?% critical.*\(settling: these readings still average the 1m before the change\)/);
  }, 20_000);

  it('calls a critical reading a regression at once when the range has already passed', async () => {
    const resolver = new FakeResolver();
    const titles = await verifyWithRange('0s', resolver, new RecordingChat('console'));
    expect(titles.some((t) => t.startsWith('Regression'))).toBe(true);
    expect(titles.some((t) => t.startsWith('Verification passed'))).toBe(false);
    expect(resolver.repaged).toHaveLength(1);
  }, 20_000);
});
