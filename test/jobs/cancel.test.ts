import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { testRedis } from '../support/redis.js';
import { bob, JobsHarness, waitFor } from './harness.js';

let h: JobsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function harness(name: string): JobsHarness {
  h = new JobsHarness(name);
  return h;
}

/** A second process's view of the queue: its own Redis connection, as the web role has. */
async function withOtherProcess<T>(prefix: string, use: (queue: JobQueue) => Promise<T>): Promise<T> {
  const redis = testRedis();
  const queue = new JobQueue({ connection: redis, prefix });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    await redis.quit();
  }
}

describe('cancelling a job', () => {
  it('aborts the running job from another connection and reports it cancelled in the thread', async () => {
    const h = harness('cancel');
    await h.startWorker();
    const data = await h.planned({ steps: 50, stepMs: 100, applyAt: 50 });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    await waitFor(async () => (await h.queue.get(jobNumber))?.state === 'running');

    const asked = await withOtherProcess(h.prefix, (queue) => queue.cancel(jobNumber, bob));
    expect(asked.state).toBe('cancelling');
    const summary = await h.finished(jobNumber, 5000);

    expect(summary).toMatchObject({ state: 'cancelled', cancelledBy: 'bob' });
    expect(await h.counter('value')).toBe(0);
    expect(h.chat.replies(data.messageRef!.id).map((r) => r.message.title)).toEqual([`Job ${jobNumber} cancelled by bob`]);
    expect(h.audit.entries.at(-1)).toMatchObject({ type: 'job.finished', decision: 'cancelled' });
  });

  it('skips a job cancelled before any worker picked it up', async () => {
    const h = harness('cancel-queued');
    const data = await h.planned();
    const { jobNumber } = await h.queue.submit(data, 'k1');
    await h.queue.cancel(jobNumber, bob);
    await h.startWorker();

    expect(await h.finished(jobNumber)).toMatchObject({ state: 'cancelled', cancelledBy: 'bob' });
    expect(await h.counter('executions')).toBe(0);
  });

  it('frees the deployment once the cancelled job has stopped', async () => {
    const h = harness('cancel-free');
    await h.startWorker();
    const { jobNumber } = await h.queue.submit(await h.planned({ steps: 50, stepMs: 100 }), 'k1');
    await waitFor(async () => (await h.queue.get(jobNumber))?.state === 'running');
    await h.queue.cancel(jobNumber, bob);
    await h.finished(jobNumber);
    await expect(h.queue.submit(await h.planned({}, bob), 'k2')).resolves.toMatchObject({ created: true });
  });

  it('refuses to cancel a job that does not exist', async () => {
    const h = harness('cancel-missing');
    const cancel = h.queue.cancel(99, bob);
    await expect(cancel).rejects.toBeInstanceOf(UserError);
    await expect(cancel).rejects.toThrow("there is no job 99: type 'jobs' to see running and recent jobs");
  });

  it('refuses to cancel a job that has finished', async () => {
    const h = harness('cancel-finished');
    await h.startWorker();
    const { jobNumber } = await h.queue.submit(await h.planned(), 'k1');
    await h.finished(jobNumber);
    await expect(h.queue.cancel(jobNumber, bob)).rejects.toThrow(`job ${jobNumber} has already finished (succeeded)`);
  });
});

describe('listing jobs', () => {
  it('shows running jobs first, then recent ones, with number, action, target, actor, state and age', async () => {
    const h = harness('list');
    await h.startWorker();
    const done = await h.queue.submit(await h.planned({ service: 'a' }), 'k1');
    await h.finished(done.jobNumber);
    const running = await h.queue.submit(await h.planned({ service: 'b', steps: 50, stepMs: 100 }, bob), 'k2');
    await waitFor(async () => (await h.queue.get(running.jobNumber))?.state === 'running');

    const jobs = await h.queue.list();
    expect(jobs.map((j) => [j.number, j.action, j.target.service, j.target.env, j.actor, j.state])).toEqual([
      [running.jobNumber, 'bump', 'b', 'staging', 'bob', 'running'],
      [done.jobNumber, 'bump', 'a', 'staging', 'ada', 'succeeded'],
    ]);
    expect(jobs[0]!.ageMs).toBeGreaterThanOrEqual(0);
    await h.queue.cancel(running.jobNumber, bob);
  });

  it('finds a job by the number people type', async () => {
    const h = harness('get');
    const { jobNumber, jobId } = await h.queue.submit(await h.planned(), 'k1');
    expect(await h.queue.get(jobNumber)).toMatchObject({ number: jobNumber, jobId, state: 'waiting', summary: 'bump svc in staging from 0 to 1' });
    expect(await h.queue.get(jobNumber + 1)).toBeUndefined();
  });
});
