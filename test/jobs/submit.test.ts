import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { JobKeys, jobIdFor } from '../../src/jobs/job-data.js';
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

  it('ends a job whose deployment another change took while it waited as refused, on its card and in the audit, changing nothing', async () => {
    const h = harness('refused-at-start');
    const data = await h.planned();
    const { jobNumber } = await h.queue.submit(data, 'k1');
    // The queued job's lock ran out in a backlog and another job took the deployment meanwhile.
    const other = { jobNumber: 99, jobId: 'jother', action: 'bump', actor: 'bob' };
    await h.redis.set(new JobKeys(h.prefix).lock('svc', 'staging'), JSON.stringify(other));
    await h.startWorker();

    const summary = await h.finished(jobNumber);
    expect(summary.state).toBe('refused');
    expect(await h.counter('executions')).toBe(0);
    const card = h.chat.updates(data.messageRef!.id).at(-1)!.message;
    expect(card.fields).toContainEqual({ label: 'Status', value: 'refused' });
    expect(card.text).toBe('busy: job 99 (bump by bob) is running. Nothing was changed.');
    expect(h.chat.replies(data.messageRef!.id).map((r) => r.message.title)).toEqual([`Job ${jobNumber} refused`]);
    const ends = h.audit.entries.filter((e) => e.type === 'job.finished' || e.type === 'job.failed');
    expect(ends.map((e) => [e.type, e.decision, e.result])).toEqual([['job.finished', 'refused', 'busy: job 99 (bump by bob) is running']]);
    expect(JSON.parse((await h.redis.get(new JobKeys(h.prefix).lock('svc', 'staging')))!)).toEqual(other);
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
