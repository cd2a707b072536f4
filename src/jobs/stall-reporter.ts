import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuditSink } from '../core/audit.js';
import type { CancelRequests } from './cancel.js';
import { errorRef } from '../core/errors.js';
import { ACTION_QUEUE, type JobKeys, type JobOutcome, type QueuedJobData, retentionMs } from './job-data.js';
import * as say from './job-messages.js';
import { type ChatLookup, JobReporter } from './job-reporter.js';
import type { DeploymentLock } from './lock.js';
import type { FailedHook } from './job-hooks.js';
import type { AnyAction } from '../core/action.js';
import type { ActionRegistry } from '../core/registry.js';

/** BullMQ's reason for a job whose workers kept dying under it (more stalls than maxStalledCount). */
const STALL_LIMIT = 'job stalled more than allowable limit';

/**
 * A job that stalled too often is failed by BullMQ's stalled checker, not by our
 * processor, so nobody would tell its thread or call onFailed. Every worker hears
 * the event; the first to claim it reports, so a job is never dropped in silence
 * nor reported twice.
 */
export class StallReporter {
  private readonly events: QueueEvents;
  private readonly queue: Queue<QueuedJobData, JobOutcome>;
  private readonly connection: Redis;

  constructor(
    private readonly deps: {
      connection: Redis;
      prefix: string;
      keys: JobKeys;
      chat: ChatLookup;
      audit: AuditSink;
      lock: DeploymentLock;
      cancels: CancelRequests;
      log: Logger;
      onFailed?: FailedHook;
      /** Where the failed job's verb is looked up, for what it declares (its evidence). */
      registry?: ActionRegistry;
    },
  ) {
    // QueueEvents blocks on its connection, so it gets one of its own.
    this.connection = deps.connection.duplicate();
    this.connection.on('error', (error: unknown) => deps.log.warn({ err: error }, 'stall reporter: Redis error'));
    this.queue = new Queue<QueuedJobData, JobOutcome>(ACTION_QUEUE, { connection: deps.connection, prefix: deps.prefix });
    this.queue.on('error', (error) => deps.log.warn({ err: error }, 'stall reporter: queue error'));
    this.events = new QueueEvents(ACTION_QUEUE, { connection: this.connection, prefix: deps.prefix });
    this.events.on('error', (error) => deps.log.warn({ err: error }, 'stall reporter: queue events error'));
    this.events.on('failed', ({ jobId, failedReason }) => {
      if (failedReason !== STALL_LIMIT) return;
      this.report(jobId).catch((error: unknown) => deps.log.error({ err: error, jobId }, 'could not report a stalled job'));
    });
  }

  async waitUntilReady(): Promise<void> {
    await this.events.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    this.connection.disconnect();
  }

  private async report(jobId: string): Promise<void> {
    const { connection, keys, log } = this.deps;
    const claimed = await connection.set(keys.stallReported(jobId), '1', 'PX', 24 * 60 * 60_000, 'NX');
    if (!claimed) return;
    const job = await this.queue.getJob(jobId);
    if (!job) return;
    const data = job.data;
    const ref = errorRef();
    const jobLog = log.child({ requestId: data.requestId, jobId, jobNumber: data.jobNumber });
    jobLog.error({ ref, reason: STALL_LIMIT }, 'job failed: its workers kept stopping while running it');
    const text = say.internalErrorText(ref);
    const reporter = await JobReporter.open(this.deps.chat, data, say.failedMessage(data, text), {
      intervalMs: 0,
      log: jobLog,
      saveRef: async () => {},
    });
    await reporter.finish(say.failedMessage(data, text), say.failedReply(data, text));
    await this.deps.audit.record({
      type: 'job.failed',
      requestId: data.requestId,
      actor: data.actor,
      action: data.action,
      service: data.plan.target.service,
      env: data.env,
      jobId,
      result: text,
      detail: { jobNumber: data.jobNumber, summary: data.plan.summary, changes: data.plan.changes, ref, reason: STALL_LIMIT },
    });
    if (this.deps.onFailed) {
      // No action result: the action never got to return one.
      const reason = `its workers kept stopping while running it (${STALL_LIMIT}; ref ${ref})`;
      await this.deps.onFailed(data, { jobId, reason, ...verbOf(this.deps.registry, data.action) }).catch((error: unknown) => jobLog.warn({ err: error }, 'onFailed hook failed'));
    }
    await this.deps.cancels
      .ended(jobId, retentionMs(job.opts, 'failed'))
      .catch((error: unknown) => jobLog.warn({ err: error }, "could not set how long the job's cancel marks are kept"));
    await this.deps.lock.release(data.plan.target, jobId);
  }
}

function verbOf(registry: ActionRegistry | undefined, name: string): { verb?: AnyAction } {
  const verb = registry?.get(name);
  return verb ? { verb } : {};
}
