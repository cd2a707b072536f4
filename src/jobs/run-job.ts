import { type Processor, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { ActionContext, ActionResult, AnyAction, ProgressReporter } from '../core/action.js';
import type { AuditEntry, AuditSink } from '../core/audit.js';
import { errorRef, isUserError } from '../core/errors.js';
import type { Message } from '../core/message.js';
import type { ActionRegistry } from '../core/registry.js';
import { type CancelRequests, JobCancelledError, type CancelWatcher } from './cancel.js';
import { type JobKeys, type JobOutcome, type QueuedJobData, retentionMs } from './job-data.js';
import * as say from './job-messages.js';
import type { FailedHook, JobFailure, SucceededHook } from './job-hooks.js';
import { type ChatLookup, JobReporter } from './job-reporter.js';
import type { ActionJob } from './job-summary.js';
import { busyError, type DeploymentLock, type LockHolder } from './lock.js';
import { LockKeeper } from './lock-keeper.js';

export interface RunJobDeps<Ports> {
  redis: Redis;
  keys: JobKeys;
  registry: ActionRegistry;
  catalog: Catalog;
  /** What the registered verbs declared they need (PortsOf, built in src/app/compose.ts). */
  ports: Ports;
  chat: ChatLookup;
  audit: AuditSink;
  log: Logger;
  lock: DeploymentLock;
  cancels: CancelRequests;
  watcher: CancelWatcher;
  progressIntervalMs: number;
  deploymentLockTtlMs: number;
  /** After a job succeeded and its result is in chat (verification, evidence); its failure is only logged. */
  onSucceeded?: SucceededHook;
  /**
   * Once, after a job failed for good (no attempt left, or not worth retrying) and its
   * failure is in chat, before BullMQ records it; its failure is only logged.
   */
  onFailed?: FailedHook;
}

/** What the steps below read of the deps: nothing of the ports, which only execute sees. */
type Deps = RunJobDeps<unknown>;

/** Everything one run of one job needs, so the steps below stay small. */
interface Run {
  job: ActionJob;
  data: QueuedJobData;
  log: Logger;
  reporter: JobReporter;
  keeper: LockKeeper;
  controller: AbortController;
  startedAt: number;
  attempt: number;
  attempts: number;
  /** The job's verb once looked up: a failure hands it on for what it declares (its evidence). */
  verb?: AnyAction;
}

/**
 * Runs a confirmed plan. Outcomes are reported to chat from here, before BullMQ
 * records them, so the result lands even when Redis lost the job meanwhile.
 */
export function createProcessor<Ports>(deps: RunJobDeps<Ports>): Processor<QueuedJobData, JobOutcome> {
  return async (job, _token, bullSignal) => {
    const data = job.data;
    const jobId = job.id!;
    const log = deps.log.child({ requestId: data.requestId, jobId, jobNumber: data.jobNumber, action: data.action });
    const controller = new AbortController();
    bullSignal?.addEventListener('abort', () => controller.abort(new JobCancelledError('a worker shutdown')));
    const untrack = deps.watcher.track(jobId, controller);
    const target = data.plan.target;
    const holder: LockHolder = { jobNumber: data.jobNumber, jobId, action: data.action, actor: data.actor.name };
    const keeper = new LockKeeper(
      deps.lock,
      target,
      holder,
      deps.deploymentLockTtlMs,
      deps.cancels,
      (by) => deps.watcher.abort(jobId, by),
      log,
    );
    const reporter = await JobReporter.open(deps.chat, data, say.runningMessage(data), {
      intervalMs: deps.progressIntervalMs,
      log,
      saveRef: (messageRef) => job.updateData({ ...data, messageRef }),
    });
    const run: Run = {
      job,
      data,
      log,
      reporter,
      keeper,
      controller,
      startedAt: Date.now(),
      attempt: job.attemptsMade + 1,
      attempts: job.opts.attempts ?? 1,
    };
    try {
      const cancelledBy = await deps.cancels.start(jobId);
      if (cancelledBy) controller.abort(new JobCancelledError(cancelledBy));
      controller.signal.throwIfAborted();
      const other = await deps.lock.claim(target, holder, deps.deploymentLockTtlMs);
      if (other) return await refuse(deps, run, busyError(other).message);
      await deps.audit.record(auditEntry(run, 'job.started'));
      if (await resumedAfterCrash(deps, job)) await reporter.reply(say.resumedNote(data));
      const action = deps.registry.get(data.action);
      if (!action) throw new UnrecoverableError(`no action '${data.action}' is registered in this worker`);
      run.verb = action;
      const ctx: ActionContext<Ports> = {
        requestId: data.requestId,
        actor: data.actor,
        ...(data.conversation ? { conversation: data.conversation } : {}),
        ...(data.threadId ? { threadId: data.threadId } : {}),
        env: data.env,
        ...(data.reason ? { reason: data.reason } : {}),
        catalog: deps.catalog,
        log,
        signal: controller.signal,
        ports: deps.ports,
      };
      const progress: ProgressReporter = async (state) => {
        reporter.progress(say.runningMessage(data, state));
        // Not awaited: a slow or reconnecting Redis must not stall the action itself.
        job.updateProgress(state).catch((error: unknown) => log.warn({ err: error }, 'could not record progress'));
      };
      const result = await action.execute(ctx, data.args, progress, data.plan);
      return await settle(deps, run, action, result);
    } catch (error) {
      return await fail(deps, run, error);
    } finally {
      keeper.stop();
      untrack();
    }
  };
}

/**
 * The action ran to the end but reports that the world did not get where the plan
 * said (a rollout that hit its deadline): the job failed, with the action's own
 * message (reason, log lines, next step) as the reply. Not retried: doing it again
 * would not change the answer.
 */
class ReportedFailure extends UnrecoverableError {}

/** The action returned: its outcome, not its message's looks, says how the job ended. */
async function settle(deps: Deps, run: Run, verb: AnyAction, result: ActionResult): Promise<JobOutcome> {
  const message = result.message;
  // The action stopped for the cancel and said where it got (a rollout no longer followed): cancelled, not done.
  if (run.controller.signal.aborted || result.outcome === 'cancelled') return cancelled(deps, run, message);
  if (result.outcome === 'refused') return refusedByVerb(deps, run, result);
  if (result.outcome === 'failed') {
    await run.reporter.finish(say.failedMessage(run.data, message.title), message);
    await deps.audit.record({ ...auditEntry(run, 'job.failed'), result: message.title });
    await failedForGood(deps, run, { jobId: run.job.id!, reason: message.title, verb, result });
    await run.keeper.release();
    throw new ReportedFailure(message.title);
  }
  // The bot's own changes (platform system) say their result on the job's card alone: no reply per change in an incident thread.
  await run.reporter.finish(say.succeededMessage(run.data, message), run.data.actor.platform === 'system' ? undefined : message);
  await deps.audit.record({ ...auditEntry(run, 'job.finished'), result: message.title });
  if (deps.onSucceeded) {
    // job.data, not run.data: it carries the message ref the reporter may have saved since.
    await deps.onSucceeded(run.job.data, { verb, result }).catch((error: unknown) => run.log.warn({ err: error }, 'onSucceeded hook failed'));
  }
  await ended(deps, run, 'completed');
  await run.keeper.release();
  return { status: 'succeeded', title: message.title };
}

/** The verb declined once it held the deployment, before changing anything: refused, with its own reply. */
async function refusedByVerb(deps: Deps, run: Run, result: ActionResult): Promise<JobOutcome> {
  const reason = result.message.title;
  run.log.info({ reason }, 'job refused by its action');
  await run.reporter.finish(say.refusedMessage(run.data, reason), result.message);
  await deps.audit.record({ ...auditEntry(run, 'job.finished'), decision: 'refused', result: reason });
  await ended(deps, run, 'completed');
  await run.keeper.release();
  return { status: 'refused', reason };
}

/** Decides between cancelled, failed for good, and failed for now (BullMQ retries). */
async function fail(deps: Deps, run: Run, error: unknown): Promise<JobOutcome> {
  if (error instanceof ReportedFailure) throw error;
  const { data, reporter, log } = run;
  if (run.controller.signal.aborted) {
    log.info({ err: error }, 'job stopped by a cancel');
    return cancelled(deps, run);
  }
  if (isUserError(error)) {
    log.info({ err: error }, 'job failed with a user error');
    await finalFailure(deps, run, error.message, { jobId: run.job.id!, reason: error.message });
    throw new UnrecoverableError(error.message);
  }
  const final = error instanceof UnrecoverableError || run.attempt >= run.attempts;
  if (!final) {
    log.warn({ err: error, attempt: run.attempt, attempts: run.attempts }, 'job attempt failed; it will be retried');
    await reporter.finish(say.retryingMessage(data, run.attempt, run.attempts));
    await run.keeper.holdFor(deps.deploymentLockTtlMs + backoffDelay(run));
    throw error;
  }
  const ref = errorRef();
  log.error({ err: error, ref, attempt: run.attempt }, 'job failed');
  // The error as BullMQ records it, with the ref that finds the details in the log.
  await finalFailure(deps, run, say.internalErrorText(ref), { jobId: run.job.id!, reason: `${errorText(error)} (ref ${ref})` }, { ref });
  throw error;
}

/** Cancelled: the card says so; `result` is what the action said when it stopped, if it returned rather than threw. */
async function cancelled(deps: Deps, run: Run, result?: Message): Promise<JobOutcome> {
  const reason = run.controller.signal.reason;
  const by = reason instanceof JobCancelledError ? reason.by : 'someone';
  run.log.info({ by }, 'job cancelled');
  await run.reporter.finish(say.cancelledMessage(run.data, by), say.cancelledReply(run.data, by, result));
  await deps.audit.record({ ...auditEntry(run, 'job.finished'), decision: 'cancelled', result: `cancelled by ${by}` });
  await ended(deps, run, 'completed');
  await run.keeper.release();
  return { status: 'cancelled', by };
}

/** Refused before it started (another change took the deployment while it waited): nothing was changed. */
async function refuse(deps: Deps, run: Run, reason: string): Promise<JobOutcome> {
  run.log.info({ reason }, 'job refused');
  await run.reporter.finish(say.refusedMessage(run.data, reason), say.refusedReply(run.data, reason));
  await deps.audit.record({ ...auditEntry(run, 'job.finished'), decision: 'refused', result: reason });
  await ended(deps, run, 'completed');
  return { status: 'refused', reason };
}

async function finalFailure(deps: Deps, run: Run, text: string, failure: JobFailure, detail: Record<string, unknown> = {}): Promise<void> {
  await run.reporter.finish(say.failedMessage(run.data, text), say.failedReply(run.data, text));
  const entry = auditEntry(run, 'job.failed');
  await deps.audit.record({ ...entry, result: text, detail: { ...entry.detail, ...detail } });
  await failedForGood(deps, run, failure);
  await run.keeper.release();
}

/** The job will not run again: onFailed hears why, once, before BullMQ records the failure. */
async function failedForGood(deps: Deps, run: Run, failure: JobFailure): Promise<void> {
  if (deps.onFailed) {
    const told = run.verb ? { verb: run.verb, ...failure } : failure;
    // job.data, not run.data: it carries the message ref the reporter may have saved since.
    await deps.onFailed(run.job.data, told).catch((error: unknown) => run.log.warn({ err: error }, 'onFailed hook failed'));
  }
  await ended(deps, run, 'failed');
}

/** The job's cancel and start marks go when BullMQ forgets the job, not before. */
async function ended(deps: Deps, run: Run, how: 'completed' | 'failed'): Promise<void> {
  await deps.cancels
    .ended(run.job.id!, retentionMs(run.job.opts, how))
    .catch((error: unknown) => run.log.warn({ err: error }, 'could not set how long the job\'s cancel marks are kept'));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function auditEntry(run: Run, type: 'job.started' | 'job.finished' | 'job.failed'): AuditEntry {
  const { data } = run;
  return {
    type,
    requestId: data.requestId,
    actor: data.actor,
    ...(data.conversation ? { conversation: data.conversation } : {}),
    action: data.action,
    service: data.plan.target.service,
    env: data.env,
    jobId: run.job.id!,
    ...(type === 'job.started' ? {} : { durationMs: Date.now() - run.startedAt }),
    detail: { jobNumber: data.jobNumber, summary: data.plan.summary, changes: data.plan.changes, attempt: run.attempt },
  };
}

/** True once per recovery from a stall: BullMQ counts stalls, we remember the last count we saw. */
async function resumedAfterCrash(deps: Deps, job: ActionJob): Promise<boolean> {
  if (!job.stalledCounter) return false;
  const key = deps.keys.stalls(job.id!);
  const previous = await deps.redis.getset(key, String(job.stalledCounter));
  await deps.redis.pexpire(key, 24 * 60 * 60_000);
  return Number(previous ?? 0) < job.stalledCounter;
}

function backoffDelay(run: Run): number {
  const backoff = run.job.opts.backoff;
  if (typeof backoff === 'number') return backoff;
  const delay = backoff?.delay ?? 0;
  return backoff?.type === 'exponential' ? delay * 2 ** (run.attempt - 1) : delay;
}
