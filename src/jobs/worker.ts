import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { AuditSink } from '../core/audit.js';
import type { ActionRegistry } from '../core/registry.js';
import { CancelRequests, CancelWatcher } from './cancel.js';
import { ACTION_QUEUE, JobKeys, type JobOutcome, type QueuedJobData } from './job-data.js';
import type { ChatLookup } from './job-reporter.js';
import { DeploymentLock } from './lock.js';
import type { FailedHook, SucceededHook } from './job-hooks.js';
import { createProcessor } from './run-job.js';
import { StallReporter } from './stall-reporter.js';

export interface WorkerDeps<Ports> {
  /** Needs `maxRetriesPerRequest: null`; BullMQ duplicates it for its blocking reads. */
  connection: Redis;
  prefix: string;
  registry: ActionRegistry;
  catalog: Catalog;
  /** Passed to execute as ctx.ports: what the registered verbs declared they need (PortsOf, built in src/app/compose.ts). */
  ports: Ports;
  chat: ChatLookup;
  audit: AuditSink;
  log: Logger;
  /** Jobs run at once in this process (default 1). */
  concurrency?: number;
  /** At most one edit of a job's message per interval (default 1000 ms). */
  progressIntervalMs?: number;
  /** How long a job stays owned by a silent worker before it counts as stalled (default 30 s). */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for and put back to run again (default 30 s). */
  stalledIntervalMs?: number;
  /** Stalls after which a job fails instead of resuming (default 1, BullMQ's). */
  maxStalledCount?: number;
  /** TTL of the service+env lock, refreshed every third of it while the job runs (default 2 × lockDuration, at least 60 s). */
  deploymentLockTtlMs?: number;
  /** Called once a job has succeeded and reported (e.g. to schedule its verification); errors are logged. */
  onSucceeded?: SucceededHook;
  /**
   * Called once a job has failed for good and reported (e.g. to keep a failed rollback's
   * evidence), with the action's result when it returned one; also for a job failed
   * because its workers kept dying. Errors are logged.
   */
  onFailed?: FailedHook;
}

export interface JobWorker {
  readonly worker: Worker<QueuedJobData, JobOutcome>;
  /** Waits for running jobs to finish, then stops. */
  close(): Promise<void>;
}

/** The worker side of jobs: runs queued plans through their actions' execute. */
export async function startWorker<Ports>(deps: WorkerDeps<Ports>): Promise<JobWorker> {
  const keys = new JobKeys(deps.prefix);
  const log = deps.log.child({ component: 'jobs' });
  const watcher = new CancelWatcher(deps.connection, keys, log);
  await watcher.start();
  const lockDuration = deps.lockDurationMs ?? 30_000;
  const lock = new DeploymentLock(deps.connection, keys);
  const cancels = new CancelRequests(deps.connection, keys);
  const stalls = new StallReporter({ ...deps, keys, lock, cancels, log });
  await stalls.waitUntilReady();
  const processor = createProcessor({
    redis: deps.connection,
    keys,
    registry: deps.registry,
    catalog: deps.catalog,
    ports: deps.ports,
    chat: deps.chat,
    audit: deps.audit,
    log,
    lock,
    cancels,
    watcher,
    progressIntervalMs: deps.progressIntervalMs ?? 1000,
    deploymentLockTtlMs: deps.deploymentLockTtlMs ?? Math.max(60_000, 2 * lockDuration),
    ...(deps.onSucceeded ? { onSucceeded: deps.onSucceeded } : {}),
    ...(deps.onFailed ? { onFailed: deps.onFailed } : {}),
  });
  const worker = new Worker<QueuedJobData, JobOutcome>(ACTION_QUEUE, processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 1,
    lockDuration,
    stalledInterval: deps.stalledIntervalMs ?? 30_000,
    maxStalledCount: deps.maxStalledCount ?? 1,
  });
  // An 'error' event with no listener would crash the process; these are Redis
  // hiccups and lost job locks, which the job's own reporting already covers.
  worker.on('error', (error) => log.error({ err: error }, 'job worker error'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'job stalled (its worker stopped answering); it will run again'));
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      await watcher.close();
      await stalls.close();
    },
  };
}
