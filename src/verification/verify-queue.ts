import { setTimeout as delay } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { VERIFY_QUEUE, type VerifyJobData } from './verify-data.js';

const KEEP = { age: 7 * 24 * 3600, count: 1000 };

/** The `verify` queue: each check of a verification is a delayed job that schedules the next. */
export class VerificationQueue {
  readonly queue: Queue<VerifyJobData>;

  constructor(options: { connection: Redis; prefix: string; log?: Logger }) {
    this.queue = new Queue<VerifyJobData>(VERIFY_QUEUE, { connection: options.connection, prefix: options.prefix });
    this.queue.on('error', (error) => options.log?.warn({ err: error }, 'verify queue: Redis error'));
  }

  /** Schedules check `data.check` at its due time; the job id makes a repeated schedule a no-op. */
  async schedule(data: VerifyJobData): Promise<void> {
    const due = data.startedAt + data.check * data.intervalMs;
    await this.queue.add('check', data, {
      jobId: `${data.id}-c${data.check}`,
      delay: Math.max(0, due - Date.now()),
      attempts: 3,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: KEEP,
      removeOnFail: KEEP,
    });
  }

  /** True when no verification is waiting, due or running (the console waits for this before exiting). */
  async idle(): Promise<boolean> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  }

  /** Resolves once idle() holds, or once `signal` aborts (the console stops waiting on Ctrl-C). */
  async settled(pollMs = 200, signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted && !(await this.idle())) await delay(pollMs);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
