import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Actor } from '../core/request.js';
import { UserError } from '../core/errors.js';
import { CancelRequests } from './cancel.js';
import { ACTION_QUEUE, type ActionJobData, DEFAULT_KEEP_FINISHED_MS, JobKeys, type JobOutcome, jobIdFor, type QueuedJobData } from './job-data.js';
import { type ActionJob, type CancelReceipt, isFinished, type JobSummary, jobState, summarise } from './job-summary.js';
import { busyError, type LockHolder } from './lock.js';

export interface JobQueueOptions {
  connection: Redis;
  /** Key prefix for BullMQ's keys and ours. */
  prefix: string;
  /** Tries per job for errors that are not the user's (default 3). */
  attempts?: number;
  /** First retry delay; doubles each retry (default 1000 ms). */
  backoffMs?: number;
  /**
   * How long the deployment lock lasts before a worker picks the job up; the worker
   * then keeps it alive. Long enough for a queue backlog, short enough that a job
   * nobody runs does not block the deployment for the rest of the incident.
   */
  queuedLockTtlMs?: number;
  /** How long finished jobs, and the idempotency keys and cancel marks that point at them, are kept (default 7 days). */
  keepFinishedMs?: number;
  /** Where Redis trouble seen by the queue is logged. */
  log?: Logger;
}

export interface SubmitResult {
  jobNumber: number;
  jobId: string;
  /** False when the same idempotency key was submitted before: nothing new was queued. */
  created: boolean;
}

// Atomic so that a double delivery and a concurrent change of the same deployment
// are decided against one consistent view: idempotency first, then the lock.
const SUBMIT = `
local existing = redis.call('GET', KEYS[1])
if existing then return {'existing', existing} end
local holder = redis.call('GET', KEYS[2])
if holder and cjson.decode(holder).jobId ~= ARGV[1] then return {'busy', holder} end
local n = redis.call('INCR', KEYS[3])
local h = cjson.decode(ARGV[2])
h.jobNumber = n
redis.call('SET', KEYS[2], cjson.encode(h), 'PX', ARGV[3])
redis.call('SET', KEYS[1], n, 'PX', ARGV[4])
redis.call('SET', ARGV[5] .. n, ARGV[1], 'PX', ARGV[4])
return {'created', tostring(n)}
`;

const ALL_STATES = ['active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed'] as const;

/** The web side of jobs: submit confirmed plans, list them, cancel them. */
export class JobQueue {
  readonly queue: Queue<QueuedJobData, JobOutcome>;
  private readonly keys: JobKeys;
  private readonly cancels: CancelRequests;
  private readonly redis: Redis;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly queuedLockTtlMs: number;
  private readonly keepFinishedMs: number;

  constructor(options: JobQueueOptions) {
    this.redis = options.connection;
    this.keys = new JobKeys(options.prefix);
    this.cancels = new CancelRequests(this.redis, this.keys);
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 1000;
    this.queuedLockTtlMs = options.queuedLockTtlMs ?? 15 * 60_000;
    this.keepFinishedMs = options.keepFinishedMs ?? DEFAULT_KEEP_FINISHED_MS;
    this.queue = new Queue<QueuedJobData, JobOutcome>(ACTION_QUEUE, { connection: this.redis, prefix: options.prefix });
    // Without a listener an 'error' event (a Redis restart) would crash the web process.
    this.queue.on('error', (error) => options.log?.warn({ err: error }, 'job queue: Redis error'));
  }

  /** Queues the job once per idempotency key; throws UserError "busy: ..." when its deployment is taken. */
  async submit(data: ActionJobData, idempotencyKey: string): Promise<SubmitResult> {
    const jobId = jobIdFor(idempotencyKey);
    const { service, env } = data.plan.target;
    const holder: Omit<LockHolder, 'jobNumber'> = { jobId, action: data.action, actor: data.actor.name };
    const [status, value] = (await this.redis.eval(
      SUBMIT,
      3,
      this.keys.idempotency(jobId),
      this.keys.lock(service, env),
      this.keys.sequence,
      jobId,
      JSON.stringify(holder),
      this.queuedLockTtlMs,
      this.keepFinishedMs,
      this.keys.numberPrefix,
    )) as [string, string];
    if (status === 'busy') throw busyError(JSON.parse(value) as LockHolder);
    const jobNumber = Number(value);
    if (status === 'existing') return { jobNumber, jobId, created: false };
    try {
      const keep = { age: Math.ceil(this.keepFinishedMs / 1000), count: 1000 };
      await this.queue.add(data.action, { ...data, jobNumber }, {
        jobId,
        attempts: this.attempts,
        backoff: { type: 'exponential', delay: this.backoffMs },
        removeOnComplete: keep,
        removeOnFail: keep,
      });
    } catch (error) {
      // Undo the claim, or the deployment would stay locked by a job that does not exist.
      await this.redis.del(this.keys.lock(service, env), this.keys.idempotency(jobId), this.keys.number(jobNumber));
      throw error;
    }
    return { jobNumber, jobId, created: true };
  }

  /** Running and waiting jobs first, then the most recent finished ones. */
  async list(options: { limit?: number } = {}): Promise<JobSummary[]> {
    const limit = options.limit ?? 20;
    const ids = await this.queue.getRanges([...ALL_STATES], 0, limit - 1, false);
    const summaries = await Promise.all(ids.map((jobId) => this.summaryOf(jobId)));
    return summaries
      .filter((s): s is JobSummary => s !== undefined)
      .sort((a, b) => Number(isFinished(a.state)) - Number(isFinished(b.state)) || b.number - a.number)
      .slice(0, limit);
  }

  async get(jobNumber: number): Promise<JobSummary | undefined> {
    const jobId = await this.jobIdByNumber(jobNumber);
    return jobId ? this.summaryOf(jobId) : undefined;
  }

  /**
   * Asks whichever worker runs the job to stop it (or the worker that picks it up to
   * skip it). The job reports "cancelled" in its thread once it has stopped. The
   * receipt says whether it had started: decided in one step with the worker's own
   * start, so a job reported as not started never runs.
   */
  async cancel(jobNumber: number, actor: Actor): Promise<CancelReceipt> {
    const summary = await this.get(jobNumber);
    if (!summary) throw new UserError(`there is no job ${jobNumber}: type 'jobs' to see running and recent jobs`, 'no_such_job');
    if (isFinished(summary.state)) {
      throw new UserError(`job ${jobNumber} has already finished (${summary.state}); nothing to cancel`, 'job_finished');
    }
    const { started } = await this.cancels.request(summary.jobId, actor.name);
    return { ...summary, state: 'cancelling', started };
  }

  /** Closes the queue; the Redis connection belongs to the caller. */
  async close(): Promise<void> {
    await this.queue.close();
  }

  private async jobIdByNumber(jobNumber: number): Promise<string | undefined> {
    if (!Number.isSafeInteger(jobNumber) || jobNumber <= 0) return undefined;
    return (await this.redis.get(this.keys.number(jobNumber))) ?? undefined;
  }

  /**
   * The state is read before the job, never after: a worker records a job's outcome
   * and moves it to completed in one step, so a job read after its state always
   * carries the outcome that state implies. Read the other way round, a job that
   * finished in between is 'completed' with no outcome yet, and a cancelled job
   * shows as succeeded. Undefined when the job has been removed meanwhile.
   */
  private async summaryOf(jobId: string): Promise<JobSummary | undefined> {
    const [bull, cancelRequested] = await Promise.all([this.queue.getJobState(jobId), this.cancels.isRequested(jobId)]);
    const job = (await this.queue.getJob(jobId)) as ActionJob | undefined;
    return job ? summarise(job, jobState(bull, job, cancelRequested)) : undefined;
  }
}
