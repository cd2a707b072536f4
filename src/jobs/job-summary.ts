import type { Job } from 'bullmq';
import type { Progress } from '../core/message.js';
import type { JobOutcome, QueuedJobData } from './job-data.js';

export type JobState = 'waiting' | 'running' | 'retrying' | 'cancelling' | 'succeeded' | 'failed' | 'cancelled' | 'refused';

/** One row of `jobs`: what people need to recognise a job and act on it. */
export interface JobSummary {
  number: number;
  jobId: string;
  action: string;
  /** The plan's one-line summary. */
  summary: string;
  target: { service: string; env: string };
  actor: string;
  state: JobState;
  createdAt: Date;
  ageMs: number;
  attemptsMade: number;
  progress?: Progress;
  /** Why it failed, as BullMQ recorded it, or why it was refused (shown to operators, not a user-facing text). */
  failedReason?: string;
  /** Who cancelled it, for a cancelled job. */
  cancelledBy?: string;
}

/** What `cancel` acknowledges: the job, now cancelling, and whether it had started. */
export interface CancelReceipt extends JobSummary {
  /**
   * False: no worker had started the job and none ever will, so nothing of it ran.
   * True: it may have changed things already; it stops at its next safe point, or
   * finishes first, and its thread says which.
   */
  started: boolean;
}

export type ActionJob = Job<QueuedJobData, JobOutcome>;

/** BullMQ's state names, as `queue.getJobState` returns them. */
export type BullState = Awaited<ReturnType<ActionJob['getState']>>;

export function jobState(bull: BullState, job: ActionJob, cancelRequested: boolean): JobState {
  switch (bull) {
    case 'completed':
      if (job.returnvalue?.status === 'cancelled') return 'cancelled';
      return job.returnvalue?.status === 'refused' ? 'refused' : 'succeeded';
    case 'failed':
      return 'failed';
    case 'active':
      return cancelRequested ? 'cancelling' : 'running';
    case 'delayed':
      if (cancelRequested) return 'cancelling';
      return job.attemptsMade > 0 ? 'retrying' : 'waiting';
    default:
      return cancelRequested ? 'cancelling' : 'waiting';
  }
}

export function summarise(job: ActionJob, state: JobState, now = Date.now()): JobSummary {
  const data = job.data;
  const outcome = job.returnvalue;
  return {
    number: data.jobNumber,
    jobId: job.id!,
    action: data.action,
    summary: data.plan.summary,
    target: { service: data.plan.target.service, env: data.plan.target.env },
    actor: data.actor.name,
    state,
    createdAt: new Date(job.timestamp),
    ageMs: Math.max(0, now - job.timestamp),
    attemptsMade: job.attemptsMade,
    ...(isProgress(job.progress) ? { progress: job.progress } : {}),
    ...(state === 'failed' && job.failedReason ? { failedReason: job.failedReason } : {}),
    ...(outcome?.status === 'refused' ? { failedReason: outcome.reason } : {}),
    ...(outcome?.status === 'cancelled' ? { cancelledBy: outcome.by } : {}),
  };
}

export function isFinished(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled' || state === 'refused';
}

function isProgress(value: unknown): value is Progress {
  return typeof value === 'object' && value !== null && typeof (value as Progress).done === 'number';
}
