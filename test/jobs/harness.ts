import { waitFor as waitUntil } from '../support/wait-for.js';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach } from 'vitest';
import type { Actor } from '../../src/core/request.js';
import { loadCatalog } from '../../src/config/catalog.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { ActionJobData } from '../../src/jobs/job-data.js';
import { isFinished, type JobSummary } from '../../src/jobs/job-summary.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { type JobWorker, startWorker, type WorkerDeps } from '../../src/jobs/worker.js';
import { type BumpArgs, bump, type CounterPorts } from '../fixtures/counter-action.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { MemoryAudit } from '../fixtures/memory-audit.js';

export const catalog = loadCatalog('config/catalog.yaml');
export const silent = pino({ level: 'silent' });
export const ada: Actor = { id: 'U1', name: 'ada', platform: 'console' };
export const bob: Actor = { id: 'U2', name: 'bob', platform: 'console' };

export { MemoryAudit };

/** One test's world: its own prefix, queue, chat, audit trail and (on demand) workers. */
export class JobsHarness {
  readonly redis: Redis = testRedis();
  readonly prefix: string;
  readonly chat = new RecordingChat('console');
  readonly audit = new MemoryAudit();
  readonly queue: JobQueue;
  readonly ports: CounterPorts;
  private readonly workers: JobWorker[] = [];
  private nextRequest = 1;

  constructor(name: string, queueOptions: { attempts?: number; backoffMs?: number } = {}) {
    this.prefix = testPrefix(`jobs-${name}`);
    this.ports = { redis: this.redis, prefix: `${this.prefix}:counter` };
    this.queue = new JobQueue({ connection: this.redis, prefix: this.prefix, backoffMs: 50, ...queueOptions });
  }

  async startWorker(overrides: Partial<WorkerDeps<unknown>> = {}): Promise<JobWorker> {
    const worker = await startWorker({
      connection: this.redis,
      prefix: this.prefix,
      registry: new ActionRegistry([bump]),
      catalog,
      ports: this.ports,
      chat: (platform) => (platform === 'console' ? this.chat : undefined),
      audit: this.audit,
      log: silent,
      progressIntervalMs: 100,
      ...overrides,
    });
    this.workers.push(worker);
    return worker;
  }

  /** Plans `bump` as the command handler would, and posts its plan message. */
  async planned(args: Partial<BumpArgs> = {}, actor: Actor = ada): Promise<ActionJobData> {
    const parsed = bump.args.parse({ service: 'svc', ...args });
    const requestId = `r${this.nextRequest++}`;
    const ctx = { requestId, actor, env: 'staging', catalog, log: silent, signal: new AbortController().signal, ports: this.ports };
    const plan = await bump.plan!(ctx, parsed);
    const messageRef = await this.chat.post('C1', { title: plan.summary });
    return {
      action: 'bump',
      args: parsed,
      plan,
      env: 'staging',
      actor,
      conversation: { platform: 'console', id: 'C1' },
      requestId,
      messageRef,
    };
  }

  async finished(jobNumber: number, timeoutMs = 15_000): Promise<JobSummary> {
    let summary: JobSummary | undefined;
    await waitFor(async () => {
      summary = await this.queue.get(jobNumber);
      return summary !== undefined && isFinished(summary.state);
    }, timeoutMs);
    return summary!;
  }

  async counter(name: 'value' | 'executions' | 'effects'): Promise<number> {
    const keys = { value: `${this.ports.prefix}:value:svc`, executions: `${this.ports.prefix}:executions`, effects: `${this.ports.prefix}:effects` };
    return Number((await this.redis.get(keys[name])) ?? 0);
  }

  async close(): Promise<void> {
    for (const worker of this.workers) await worker.close();
    await this.queue.close();
    await cleanPrefix(this.redis, this.prefix);
    await this.redis.quit();
  }
}

/**
 * What `ms` with no process touching Redis does to the keys under `prefix`: a key
 * whose TTL runs out in that time is gone, any other key with a TTL has that much
 * less left, a key without one stays. (Jobs waiting or delayed in BullMQ are kept
 * without a TTL, so they stay too, as they would.)
 */
export async function elapse(redis: Redis, prefix: string, ms: number): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      if (ttl < 0) continue;
      if (ttl <= ms) await redis.del(key);
      else await redis.pexpire(key, ttl - ms);
    }
  } while (cursor !== '0');
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000, everyMs = 25): Promise<void> {
  await waitUntil(condition, { timeoutMs, everyMs });
}

/** A fresh harness per test, closed after it: `const harness = harnessPerTest();` then `const h = harness('name')` in each test. */
export function harnessPerTest(): (name: string, queueOptions?: ConstructorParameters<typeof JobsHarness>[1]) => JobsHarness {
  let current: JobsHarness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return (name, queueOptions) => {
    current = new JobsHarness(name, queueOptions);
    return current;
  };
}
