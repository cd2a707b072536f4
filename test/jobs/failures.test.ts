import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/message.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { QueuedJobData } from '../../src/jobs/job-data.js';
import type { JobFailure } from '../../src/jobs/job-hooks.js';
import { bump } from '../fixtures/counter-action.js';
import { bob, harnessPerTest } from './harness.js';
import { done, failed } from '../../src/core/action-result.js';

const harness = harnessPerTest();

describe('a failing job', () => {
  it('fails with the UserError message in its thread, without a retry', async () => {
    const h = harness('user', { attempts: 3 });
    await h.startWorker();
    const data = await h.planned({ failWith: 'user' });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    const summary = await h.finished(jobNumber);

    expect(summary.state).toBe('failed');
    expect(await h.counter('executions')).toBe(1);
    const replies = h.chat.replies(data.messageRef!.id).map((r) => r.message);
    expect(replies).toEqual([expect.objectContaining({ title: `Job ${jobNumber} failed`, text: 'svc is frozen: unfreeze it first' })]);
    expect(h.chat.current(data.messageRef!.id)!.severity).toBe('critical');
  });

  it('retries a transient error and then succeeds', async () => {
    const h = harness('transient', { attempts: 3 });
    await h.startWorker();
    const data = await h.planned({ failWith: 'transient', failTimes: 2 });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    const summary = await h.finished(jobNumber);

    expect(summary.state).toBe('succeeded');
    expect(await h.counter('executions')).toBe(3);
    expect(await h.counter('value')).toBe(1);
    expect(h.chat.replies(data.messageRef!.id).map((r) => r.message.title)).toEqual(['svc is now 1']);
  });

  it('fails with an error ref once retries are exhausted, and logs the details under it', async () => {
    const h = harness('exhausted', { attempts: 2 });
    const lines: string[] = [];
    const pino = (await import('pino')).default;
    await h.startWorker({ log: pino({ level: 'error' }, { write: (line: string) => lines.push(line) }) });
    const data = await h.planned({ failWith: 'transient' });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    expect((await h.finished(jobNumber)).state).toBe('failed');

    expect(await h.counter('executions')).toBe(2);
    const reply = h.chat.replies(data.messageRef!.id).at(-1)!.message;
    const ref = /^something went wrong \(ref ([0-9a-f]{8})\)$/.exec(reply.text ?? '')?.[1];
    expect(ref).toBeDefined();
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.ref === ref);
    expect(logged.err.message).toBe('transient glitch #2');
  });

  it('does not retry an UnrecoverableError', async () => {
    const h = harness('fatal', { attempts: 3 });
    await h.startWorker();
    const data = await h.planned({ failWith: 'fatal' });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    expect((await h.finished(jobNumber)).state).toBe('failed');
    expect(await h.counter('executions')).toBe(1);
    expect(h.chat.replies(data.messageRef!.id).at(-1)!.message.text).toMatch(/^something went wrong \(ref [0-9a-f]{8}\)$/);
  });

  it('frees the deployment after a failure', async () => {
    const h = harness('free-after-failure', { attempts: 1 });
    await h.startWorker();
    const { jobNumber } = await h.queue.submit(await h.planned({ failWith: 'user' }), 'k1');
    await h.finished(jobNumber);
    await expect(h.queue.submit(await h.planned(), 'k2')).resolves.toMatchObject({ created: true });
  });
});

describe('the audit trail of a job', () => {
  it('records start and finish with the actor, target, job id, duration and plan changes', async () => {
    const h = harness('audit');
    await h.startWorker();
    const data = await h.planned();
    const { jobNumber, jobId } = await h.queue.submit(data, 'k1');
    await h.finished(jobNumber);

    expect(h.audit.entries.map((e) => e.type)).toEqual(['job.started', 'job.finished']);
    const finished = h.audit.entries[1]!;
    expect(finished).toMatchObject({ actor: data.actor, action: 'bump', service: 'svc', env: 'staging', jobId, requestId: data.requestId });
    expect(finished.durationMs).toBeGreaterThanOrEqual(0);
    expect(finished.detail).toMatchObject({ jobNumber, changes: [{ what: 'counter', from: '0', to: '1' }] });
  });

  it('records a failure with its result', async () => {
    const h = harness('audit-failed', { attempts: 1 });
    await h.startWorker();
    const { jobNumber } = await h.queue.submit(await h.planned({ failWith: 'user' }), 'k1');
    await h.finished(jobNumber);
    expect(h.audit.entries.map((e) => [e.type, e.result])).toEqual([
      ['job.started', undefined],
      ['job.failed', 'svc is frozen: unfreeze it first'],
    ]);
  });
});

/** Records what a worker's onFailed heard. */
class FailedCalls {
  readonly calls: { data: QueuedJobData; failure: JobFailure }[] = [];
  readonly hook = async (data: QueuedJobData, failure: JobFailure): Promise<void> => {
    this.calls.push({ data, failure });
  };
}

/** `bump` whose change does not take: it returns its own failure report, as a rollout that hit its deadline does. */
const REPORT: Message = {
  title: 'The bump of svc in staging failed: the counter did not settle',
  severity: 'critical',
  fields: [{ label: 'To', value: 'revision 8 (counter:v2)' }],
};
const FACTS = { leftAt: 'revision 8' };
const stuck = { ...bump, execute: async () => failed(REPORT, FACTS) };

describe('the worker hook for a job that failed for good', () => {
  it('is called once, after the last attempt, whichever of several workers ran each attempt', async () => {
    const h = harness('on-failed-once', { attempts: 3 });
    const first = new FailedCalls();
    const second = new FailedCalls();
    await h.startWorker({ onFailed: first.hook });
    await h.startWorker({ onFailed: second.hook });
    const data = await h.planned({ failWith: 'transient' });
    const { jobNumber, jobId } = await h.queue.submit(data, 'k1');
    expect((await h.finished(jobNumber)).state).toBe('failed');

    // Already there when the job reads failed: the hook runs before BullMQ records the failure.
    const calls = [...first.calls, ...second.calls];
    expect(await h.counter('executions')).toBe(3);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.data).toMatchObject({ jobNumber, requestId: data.requestId, messageRef: data.messageRef });
    expect(calls[0]!.failure).toEqual({ jobId, reason: expect.stringMatching(/^transient glitch #3 \(ref [0-9a-f]{8}\)$/), verb: bump });
  });

  it("hears a user error's message", async () => {
    const h = harness('on-failed-user', { attempts: 3 });
    const failed = new FailedCalls();
    await h.startWorker({ onFailed: failed.hook });
    const { jobNumber, jobId } = await h.queue.submit(await h.planned({ failWith: 'user' }), 'k1');
    await h.finished(jobNumber);

    expect(failed.calls.map((c) => c.failure)).toEqual([{ jobId, reason: 'svc is frozen: unfreeze it first', verb: bump }]);
  });

  it("hears the action's own result when the action reported that its change did not take", async () => {
    const h = harness('on-failed-result', { attempts: 3 });
    const failed = new FailedCalls();
    await h.startWorker({ registry: new ActionRegistry([stuck]), onFailed: failed.hook });
    const { jobNumber, jobId } = await h.queue.submit(await h.planned(), 'k1');
    expect((await h.finished(jobNumber)).state).toBe('failed');

    expect(failed.calls.map((c) => c.failure)).toEqual([{ jobId, reason: REPORT.title, verb: stuck, result: { outcome: 'failed', message: REPORT, facts: FACTS } }]);
  });

  it('is not called for a job that succeeds, nor for one that is cancelled', async () => {
    const h = harness('on-failed-not', { attempts: 3 });
    const failed = new FailedCalls();
    const cancelled = await h.queue.submit(await h.planned({ service: 'a' }), 'k1');
    await h.queue.cancel(cancelled.jobNumber, bob);
    const succeeded = await h.queue.submit(await h.planned({ service: 'b', failWith: 'transient', failTimes: 1 }), 'k2');
    await h.startWorker({ onFailed: failed.hook });

    expect((await h.finished(cancelled.jobNumber)).state).toBe('cancelled');
    expect((await h.finished(succeeded.jobNumber)).state).toBe('succeeded');
    expect(failed.calls).toEqual([]);
  });
});

/** `bump` whose change held but whose news is bad: the verb says `done` and colours its message critical. */
const ALARMING: Message = {
  title: 'svc is now 1, but its error rate is still above the page threshold',
  severity: 'critical',
};
const alarming = { ...bump, execute: async () => done(ALARMING) };

describe('a job whose verb returned done with a critical-coloured message', () => {
  it('succeeds: a job fails on its outcome, never on its colour', async () => {
    const h = harness('done-critical', { attempts: 3 });
    const failures = new FailedCalls();
    const successes: QueuedJobData[] = [];
    await h.startWorker({
      registry: new ActionRegistry([alarming]),
      onFailed: failures.hook,
      onSucceeded: async (data) => void successes.push(data),
    });
    const data = await h.planned();
    const { jobNumber } = await h.queue.submit(data, 'k1');

    expect((await h.finished(jobNumber)).state).toBe('succeeded');
    expect(failures.calls).toEqual([]);
    expect(successes.map((d) => d.jobNumber)).toEqual([jobNumber]);
    expect(h.audit.entries.map((e) => e.type)).toEqual(['job.started', 'job.finished']);
    // The verb's own message is what the thread hears, not a "Job N failed".
    expect(h.chat.replies(data.messageRef!.id).map((r) => r.message.title)).toEqual([ALARMING.title]);
  });
});
