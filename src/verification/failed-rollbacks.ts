import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ACTION_QUEUE, type JobOutcome, type QueuedJobData } from '../jobs/job-data.js';
import type { EvidenceStore } from './evidence-store.js';
import { rollbackEvidence } from './rollback-evidence.js';

export interface FailedRollbacksDeps {
  connection: Redis;
  prefix: string;
  evidence: EvidenceStore;
  log: Logger;
  /** How far back start() looks for failures no process recorded (a worker that died right after); default a day. */
  lookBackMs?: number;
}

type ActionJob = Job<QueuedJobData, JobOutcome>;

/** Failed jobs looked at per sweep, newest first: more than can fail between two sweeps. */
const SWEEP = 100;

/**
 * A rollback whose rollout did not complete, whose action threw, or whose workers kept
 * dying is a failed job: it never reaches the worker's onSucceeded, yet post-incident
 * review needs its evidence most. BullMQ knows that outcome once it is final (retries
 * spent), and says so with a 'failed' event; every worker process hears it, and the
 * evidence store writes one record per job, marked failed, with the reason.
 */
export class FailedRollbacks {
  private readonly events: QueueEvents;
  private readonly queue: Queue<QueuedJobData, JobOutcome>;
  private readonly connection: Redis;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly startedAt = Date.now();

  constructor(private readonly deps: FailedRollbacksDeps) {
    // QueueEvents blocks on its connection, so it gets one of its own.
    this.connection = deps.connection.duplicate();
    this.connection.on('error', (error: unknown) => deps.log.warn({ err: error }, 'failed rollbacks: Redis error'));
    this.queue = new Queue<QueuedJobData, JobOutcome>(ACTION_QUEUE, { connection: deps.connection, prefix: deps.prefix });
    this.queue.on('error', (error) => deps.log.warn({ err: error }, 'failed rollbacks: queue error'));
    this.events = new QueueEvents(ACTION_QUEUE, { connection: this.connection, prefix: deps.prefix });
    this.events.on('error', (error) => deps.log.warn({ err: error }, 'failed rollbacks: queue events error'));
    this.events.on('failed', ({ jobId }) => {
      this.track(this.queue.getJob(jobId).then((job) => (job ? this.record(job) : undefined)));
    });
  }

  /** Listens, and records what failed while no process was listening (within lookBackMs). */
  async start(): Promise<void> {
    await this.events.waitUntilReady();
    await this.sweep(this.startedAt - (this.deps.lookBackMs ?? 24 * 60 * 60_000));
  }

  /**
   * Resolves once every rollback that failed since this process started has its
   * evidence: the console waits for this before exiting, the failed event may still
   * be on its way when the job already reads as failed.
   */
  async settled(): Promise<void> {
    await this.sweep(this.startedAt);
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    await this.events.close();
    await Promise.allSettled([...this.pending]);
    await this.queue.close();
    this.connection.disconnect();
  }

  private async sweep(since: number): Promise<void> {
    const jobs = await this.queue.getFailed(0, SWEEP - 1);
    await Promise.all(jobs.filter((job) => (job.finishedOn ?? 0) >= since).map((job) => this.track(this.record(job))));
  }

  private track(work: Promise<unknown>): Promise<void> {
    const logged = work.then(
      () => undefined,
      (error: unknown) => this.deps.log.error({ err: error }, 'could not record the evidence of a failed rollback'),
    );
    this.pending.add(logged);
    void logged.finally(() => this.pending.delete(logged));
    return logged;
  }

  private async record(job: ActionJob): Promise<void> {
    const data = job.data;
    if (data.action !== 'rollback' || !job.id) return;
    const evidence = rollbackEvidence(data, {
      failure: job.failedReason,
      ...(job.finishedOn ? { at: new Date(job.finishedOn).toISOString() } : {}),
    });
    const who = { actor: data.actor, requestId: data.requestId, ...(data.conversation ? { conversation: data.conversation } : {}) };
    const record = await this.deps.evidence.recordOnce(`job:${job.id}`, evidence, who);
    if (record) this.deps.log.info({ evidence: record.id, jobId: job.id, service: record.service }, 'failed rollback recorded');
  }
}
