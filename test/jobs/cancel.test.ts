import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/core/audit.js';
import type { MessageRef, PostOptions } from '../../src/core/chat-port.js';
import { cancel } from '../../src/verbs/jobs/jobs.js';
import { UserError } from '../../src/core/errors.js';
import type { Message } from '../../src/core/message.js';
import { CancelRequests } from '../../src/jobs/cancel.js';
import { JobKeys } from '../../src/jobs/job-data.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { testRedis } from '../support/redis.js';
import { bob, catalog, elapse, harnessPerTest, type JobsHarness, MemoryAudit, silent, waitFor } from './harness.js';

const harness = harnessPerTest();

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

/** A point a worker stops at until the test lets it go on: `reached` once it is there. */
class Gate {
  readonly reached: Promise<void>;
  private arrive!: () => void;
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  constructor() {
    this.reached = new Promise<void>((resolve) => {
      this.arrive = resolve;
    });
  }

  async pass(): Promise<void> {
    this.arrive();
    await this.released;
  }

  open(): void {
    this.release();
  }
}

/** Holds the worker once it has started the job, before the action runs: its 'job.started' audit record. */
class AuditHeldAtStart extends MemoryAudit {
  constructor(readonly gate: Gate) {
    super();
  }

  override async record(entry: AuditEntry): Promise<void> {
    if (entry.type === 'job.started') await this.gate.pass();
    await super.record(entry);
  }
}

/** Holds the worker while it posts a new job's first message: the job is active, not yet started. */
class ChatHeldAtPost extends RecordingChat {
  constructor(readonly gate: Gate) {
    super('console');
  }

  override async post(conversation: string, message: Message, options?: PostOptions): Promise<MessageRef> {
    await this.gate.pass();
    return super.post(conversation, message, options);
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

  it('never runs a job cancelled while a worker was taking it but had not yet started it', async () => {
    const h = harness('cancel-taking');
    const gate = new Gate();
    const chat = new ChatHeldAtPost(gate);
    await h.startWorker({ chat: () => chat });
    const { messageRef: _none, ...data } = await h.planned();
    const { jobNumber, jobId } = await h.queue.submit(data, 'k1');
    await gate.reached;
    expect(await h.queue.queue.getJobState(jobId)).toBe('active');

    const receipt = await h.queue.cancel(jobNumber, bob);
    gate.open();

    expect(receipt.started).toBe(false);
    expect(await h.finished(jobNumber)).toMatchObject({ state: 'cancelled', cancelledBy: 'bob' });
    expect(await h.counter('executions')).toBe(0);
  });

  it('tells whoever cancels a job that its worker had already started it', async () => {
    const h = harness('cancel-started');
    const gate = new Gate();
    await h.startWorker({ audit: new AuditHeldAtStart(gate) });
    const { jobNumber } = await h.queue.submit(await h.planned(), 'k1');
    await gate.reached;

    const receipt = await h.queue.cancel(jobNumber, bob);
    gate.open();

    expect(receipt.started).toBe(true);
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

describe('a cancel request, however long the job waits', () => {
  const DAY = 24 * 60 * 60_000;

  it('still stops a job that no worker picked up for more than a day after it was cancelled', async () => {
    const h = harness('cancel-day');
    const { jobNumber } = await h.queue.submit(await h.planned(), 'k1');
    await h.queue.cancel(jobNumber, bob);

    await elapse(h.redis, h.prefix, DAY + 60_000);
    await h.startWorker();

    expect(await h.finished(jobNumber)).toMatchObject({ state: 'cancelled', cancelledBy: 'bob' });
    expect(await h.counter('executions')).toBe(0);
  });

  it('tells whoever cancels a job waiting more than a day for its retry that it had started, and never runs it again', async () => {
    const h = harness('cancel-retry-day', { attempts: 2, backoffMs: 60 * 60_000 });
    const worker = await h.startWorker();
    const { jobNumber, jobId } = await h.queue.submit(await h.planned({ failWith: 'transient', failTimes: 1 }), 'k1');
    await waitFor(async () => (await h.queue.get(jobNumber))?.state === 'retrying');
    await worker.close();

    await elapse(h.redis, h.prefix, DAY + 60_000);
    const receipt = await h.queue.cancel(jobNumber, bob);
    await (await h.queue.queue.getJob(jobId))!.promote();
    await h.startWorker();

    expect(receipt.started).toBe(true);
    expect(await h.finished(jobNumber)).toMatchObject({ state: 'cancelled', cancelledBy: 'bob' });
    expect(await h.counter('executions')).toBe(1);
  });

  it('is forgotten with the job once the queue forgets the finished job, even one asked for as the job ended', async () => {
    const h = harness('cancel-forgotten');
    const cancelled = await h.queue.submit(await h.planned({ service: 'a' }), 'k1');
    await h.queue.cancel(cancelled.jobNumber, bob);
    const succeeded = await h.queue.submit(await h.planned({ service: 'b' }), 'k2');
    await h.startWorker();
    await h.finished(cancelled.jobNumber);
    await h.finished(succeeded.jobNumber);
    // A cancel that read the job as running just before it ended.
    await new CancelRequests(h.redis, new JobKeys(h.prefix)).request(succeeded.jobId, bob.name);

    await elapse(h.redis, h.prefix, 7 * DAY + 60_000);

    expect(await h.redis.keys(`${h.prefix}:jobs:cancel:*`)).toEqual([]);
    expect(await h.redis.keys(`${h.prefix}:jobs:started:*`)).toEqual([]);
  });
});

describe('the cancel verb', () => {
  async function cancelAs(h: JobsHarness, jobNumber: number): Promise<Message> {
    const ctx = { requestId: 'r-cancel', actor: bob, env: 'staging', catalog, log: silent, signal: new AbortController().signal, ports: { jobs: h.queue } };
    return (await cancel.execute(ctx, { job: jobNumber }, async () => {})).message;
  }

  it('answers that a job cancelled before it started will not run and changed nothing', async () => {
    const h = harness('verb-queued');
    const { jobNumber } = await h.queue.submit(await h.planned(), 'k1');

    expect(await cancelAs(h, jobNumber)).toMatchObject({
      title: `Job ${jobNumber} cancelled before it started`,
      text: 'bump svc in staging from 0 to 1 (bump by ada) will not run; nothing was changed.',
    });
  });

  it('answers that a job which had already started may have changed things', async () => {
    const h = harness('verb-started');
    const gate = new Gate();
    await h.startWorker({ audit: new AuditHeldAtStart(gate) });
    const { jobNumber } = await h.queue.submit(await h.planned(), 'k1');
    await gate.reached;

    const answer = await cancelAs(h, jobNumber);
    gate.open();

    expect(answer).toMatchObject({
      title: `Cancelling job ${jobNumber}, which had already started`,
      text: expect.stringContaining('may have changed things already'),
    });
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
