import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { jobIdFor } from '../../src/jobs/job-data.js';
import { bob, harnessPerTest } from './harness.js';

const harness = harnessPerTest();

describe('submitting a job', () => {
  it('enqueues a confirmation delivered twice only once, and runs it once', async () => {
    const h = harness('double');
    const data = await h.planned();
    const first = await h.queue.submit(data, 'interaction:123');
    const second = await h.queue.submit(data, 'interaction:123');
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });

    await h.startWorker();
    expect((await h.finished(first.jobNumber)).state).toBe('succeeded');
    expect(await h.counter('executions')).toBe(1);
    expect(await h.counter('value')).toBe(1);
    expect((await h.queue.list()).map((j) => j.number)).toEqual([first.jobNumber]);
  });

  it('derives job ids BullMQ accepts from any idempotency key', () => {
    for (const key of ['12345', 'a:b:c', 'slack:T1:U1:1712345.678']) {
      expect(jobIdFor(key)).toMatch(/^j[0-9a-f]{32}$/);
    }
    expect(jobIdFor('a')).not.toBe(jobIdFor('b'));
  });

  it('refuses a second change of the same service and env while one is queued or running', async () => {
    const h = harness('busy');
    const first = await h.queue.submit(await h.planned({ steps: 5, stepMs: 100 }), 'k1');
    await h.startWorker();
    const second = h.queue.submit(await h.planned({}, bob), 'k2');
    await expect(second).rejects.toThrow(UserError);
    await expect(second).rejects.toThrow(`busy: job ${first.jobNumber} (bump by ada) is running`);
  });

  it('frees the deployment once the job has finished', async () => {
    const h = harness('free');
    await h.startWorker();
    const first = await h.queue.submit(await h.planned(), 'k1');
    await h.finished(first.jobNumber);
    const second = await h.queue.submit(await h.planned({}, bob), 'k2');
    expect(second.created).toBe(true);
    expect(second.jobNumber).toBe(first.jobNumber + 1);
    expect((await h.finished(second.jobNumber)).state).toBe('succeeded');
    expect(await h.counter('value')).toBe(2);
  });

  it('lets changes of different services run side by side', async () => {
    const h = harness('side');
    await h.queue.submit(await h.planned({ service: 'svc' }), 'k1');
    const other = await h.queue.submit(await h.planned({ service: 'other' }), 'k2');
    expect(other.created).toBe(true);
  });
});
