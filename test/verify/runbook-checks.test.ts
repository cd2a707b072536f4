import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { PrometheusClient } from '../../src/clients/prometheus.js';
import { fillQuery } from '../../src/core/health.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { checkOnce } from '../../src/verification/check.js';
import { startVerification, type Verification } from '../../src/verification/index.js';
import type { VerifyJobData } from '../../src/verification/verify-data.js';
import { FakePrometheus } from '../fakes/prometheus.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { MemoryAudit } from '../jobs/harness.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { catalog, FakeResolver, silent } from './harness.js';

/**
 * Runbook 003 "Verification (post-mitigation)" beyond health and metrics: "Logs: no
 * repeating stack traces in the last 5 minutes", read from the sandbox's pods; and the
 * orchestrator graded by its own runbooks' thresholds (000/003: failure rate 10%,
 * memory 85%), a warning at the last check said as a warning.
 */
const orchestrator = catalog.services['maestro-orchestrator']!;
const prod = orchestrator.envs.prod!;

describe('the stack traces in the sandbox pods’ logs', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ catalog, rolloutIntervalMs: 30, log: silent });
    sandbox.tick();
  });
  afterAll(async () => {
    vi.useRealTimers();
    await sandbox.close();
  });
  afterEach(() => {
    vi.useRealTimers();
    sandbox.allowAll();
  });

  /** The sandbox writes a log entry every 2 s of a pod's life: look at its pods 90 s on. */
  function later(): void {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 90_000);
  }

  it("makes a regression of the faulty release's repeating trace, quoting its first line", async () => {
    later();
    const result = await checkOnce('maestro-orchestrator', orchestrator, prod, { logs: kubernetesFromConfig(sandbox.kubeConfig()) });
    expect(result.verdict).toBe('critical');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(
      /^repeating stack trace in the last 5m of logs \(\d+×\): "TypeError: Cannot read properties of undefined \(reading 'budgetPolicy'\)"$/,
    );
    expect(result.traces![0]!.count).toBeGreaterThanOrEqual(3);
  });

  it('finds none in a healthy release, whose errors come without traces', async () => {
    later();
    const victor = catalog.services['victor-coordinators']!;
    const result = await checkOnce('victor-coordinators', victor, victor.envs.prod!, { logs: kubernetesFromConfig(sandbox.kubeConfig()) });
    expect(result.traces).toEqual([]);
    expect(result.verdict).toBe('ok');
  });

  it('cannot pass blind: logs it may not read fail the check and say why', async () => {
    sandbox.deny({ verb: 'get', resource: 'pods/log', namespace: prod.namespace });
    const result = await checkOnce('maestro-orchestrator', orchestrator, prod, { logs: kubernetesFromConfig(sandbox.kubeConfig()) });
    expect(result.verdict).toBe('critical');
    expect(result.logsUnavailable).toBeDefined();
    expect(result.problems[0]).toMatch(/^logs unavailable \(.+\)$/);
  });
});

describe("the orchestrator's thresholds and a warning at the end", () => {
  const redis = testRedis();
  let prefix = '';
  let prometheus: FakePrometheus | undefined;
  let verification: Verification | undefined;
  afterEach(async () => {
    await verification?.close();
    await prometheus?.stop();
    await cleanPrefix(redis, prefix);
  });

  const query = (indicator: string) =>
    fillQuery(orchestrator.indicators[indicator]!.query, { namespace: prod.namespace, deployment: prod.deployment, service: 'maestro-orchestrator' });

  /** One verification of three checks of maestro-orchestrator in prod, the indicators at these values throughout. */
  async function verify(values: Record<string, number>) {
    prefix = testPrefix('verify-runbook');
    prometheus = await new FakePrometheus().start();
    for (const [indicator, value] of Object.entries(values)) prometheus.set(query(indicator), value);
    const resolver = new FakeResolver();
    const chat = new RecordingChat('console');
    verification = await startVerification({
      connection: redis,
      prefix,
      catalog,
      audit: new MemoryAudit(),
      chat: () => chat,
      log: silent,
      metrics: new PrometheusClient({ baseUrl: prometheus.url }),
      endpoints: { health: () => undefined, admin: () => undefined },
      resolver,
    });
    const data: VerifyJobData = {
      id: `runbook-${prefix}`,
      service: 'maestro-orchestrator',
      env: 'prod',
      action: 'rollback',
      jobNumber: 1,
      actor: { id: 'ada', name: 'ada', platform: 'console' },
      requestId: 'r1',
      messageRef: { platform: 'console', conversation: 'console', id: 'job-card' },
      // Past the settling range: every reading is a verdict on the change.
      startedAt: Date.now() - 10 * 60_000,
      windowMs: 300,
      intervalMs: 100,
      check: 1,
    };
    await verification.queue.schedule(data);
    await verification.settled();
    return { resolver, replies: chat.replies('job-card').map((r) => r.message) };
  }

  it('lets an 8% failure rate pass as a warning: critical is the runbooks’ 10%, not the agents runbook’s 5%', async () => {
    const { resolver, replies } = await verify({ error_rate: 0.08 });
    const result = replies.find((m) => m.title.startsWith('Verification passed'))!;
    expect(result.title).toBe('Verification passed with a warning: maestro-orchestrator in prod held for 300ms after the rollback');
    expect(result.severity).toBe('warning');
    expect(result.text).toMatch(/still a warning at the last check: error_rate 8(\.0)?% warning/);
    expect(replies.some((m) => m.title.startsWith('Regression'))).toBe(false);
    expect(resolver.repaged).toEqual([]);
  }, 20_000);

  it('leaves the PagerDuty incident open while a warning lasts, and says so', async () => {
    const { resolver, replies } = await verify({ error_rate: 0.08 });
    expect(resolver.resolved).toEqual([]);
    expect(replies.find((m) => m.title.startsWith('Verification passed'))!.footer).toBe('PagerDuty incident left open while the warning lasts: resolve it once it clears.');
  }, 20_000);

  it('calls a 12% failure rate a regression', async () => {
    const { resolver, replies } = await verify({ error_rate: 0.12 });
    expect(replies.some((m) => m.title.startsWith('Regression'))).toBe(true);
    expect(resolver.repaged).toHaveLength(1);
  }, 20_000);

  it('calls memory at 87% of the limit a regression: MaestroMemoryUsageHigh is 85%, not the agents runbook’s 90%', async () => {
    const { replies } = await verify({ error_rate: 0.002, memory: 0.87 });
    const regression = replies.find((m) => m.title.startsWith('Regression'))!;
    expect(regression.text).toMatch(/memory 87(\.0)?% critical/);
  }, 20_000);

  it('passes clean values as a plain pass and resolves the incident', async () => {
    const { resolver, replies } = await verify({ error_rate: 0.002, memory: 0.5 });
    expect(replies.find((m) => m.title.startsWith('Verification passed'))!.title).toBe(
      'Verification passed: maestro-orchestrator in prod held for 300ms after the rollback',
    );
    expect(resolver.resolved).toHaveLength(1);
  }, 20_000);
});
