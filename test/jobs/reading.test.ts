import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../src/jobs/job-summary.js';
import { isFinished } from '../../src/jobs/job-summary.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { testRedis } from '../support/redis.js';
import { bob, harnessPerTest } from './harness.js';

const harness = harnessPerTest();

/**
 * `readers` people in another process typing `jobs` (or looking one job up) over and
 * over until they see it finished; returns the finished state each of them saw first.
 * Many readers in flight at once make sure some read straddles the moment it finishes.
 */
async function readUntilFinished(prefix: string, read: (queue: JobQueue) => Promise<JobSummary | undefined>, readers = 24): Promise<string[]> {
  const redis = testRedis();
  const queue = new JobQueue({ connection: redis, prefix });
  try {
    const deadline = Date.now() + 10_000;
    return await Promise.all(
      Array.from({ length: readers }, async () => {
        while (Date.now() < deadline) {
          const summary = await read(queue);
          if (summary && isFinished(summary.state)) return summary.state;
        }
        return 'never finished';
      }),
    );
  } finally {
    await queue.close();
    await redis.quit();
  }
}

describe('reading a job while it finishes', () => {
  it('shows a cancelled job as cancelled to anyone who looked it up as it finished', async () => {
    const h = harness('read-get');
    const { jobNumber } = await h.queue.submit(await h.planned(), 'k1');
    await h.queue.cancel(jobNumber, bob);

    const seen = readUntilFinished(h.prefix, (queue) => queue.get(jobNumber));
    await h.startWorker();

    expect(new Set(await seen)).toEqual(new Set(['cancelled']));
  });

  it('lists a cancelled job as cancelled to anyone who listed jobs as it finished', async () => {
    const h = harness('read-list');
    const { jobNumber } = await h.queue.submit(await h.planned(), 'k1');
    await h.queue.cancel(jobNumber, bob);

    const seen = readUntilFinished(h.prefix, async (queue) => (await queue.list()).find((job) => job.number === jobNumber));
    await h.startWorker();

    expect(new Set(await seen)).toEqual(new Set(['cancelled']));
  });
});
