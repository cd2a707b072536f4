import { setTimeout as delay } from 'node:timers/promises';
import { CatalogError } from '../config/catalog.js';
import { ConfigError } from '../config/env.js';
import { RedisUnavailableError } from '../core/redis.js';
import { isFinished } from '../jobs/job-summary.js';
import type { JobQueue } from '../jobs/queue.js';
import { NoClusterError } from './cluster.js';

/** Resolves when the job has finished, or as soon as `stop` fires (the queue is about to close). */
export async function waitForJob(queue: JobQueue, jobNumber: number, stop?: AbortSignal): Promise<void> {
  while (!stop?.aborted) {
    const job = await queue.get(jobNumber);
    if (!job || isFinished(job.state)) return;
    await delay(200);
  }
}

export function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}

/** One line on stderr saying what to fix, and the exit code: no stack trace for an operator's mistake. */
export function startupFailure(error: unknown): number {
  if (error instanceof ConfigError || error instanceof CatalogError || error instanceof NoClusterError) {
    process.stderr.write(`maestro-bot: ${error.message}\n`);
    return 2;
  }
  if (error instanceof RedisUnavailableError) {
    process.stderr.write(`maestro-bot: ${error.message}\n`);
    return 1;
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`maestro-bot: port already in use (${(error as Error).message}); set PORT to a free one\n`);
    return 1;
  }
  if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`maestro-bot: ${(error as Error).message}; usage: npm start [-- --role all|web|worker]\n`);
    return 2;
  }
  process.stderr.write(`maestro-bot: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}
