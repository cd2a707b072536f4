import type { ActionResult, AnyAction } from '../core/action.js';
import type { QueuedJobData } from './job-data.js';

/** A job that ended `done`: the verb that ran it (what it declares: mitigates, evidence) and what it returned. */
export interface JobSuccess {
  verb: AnyAction;
  result: ActionResult;
}

export type SucceededHook = (data: QueuedJobData, success: JobSuccess) => Promise<void>;

/**
 * Why a job failed for good; `result` is what the action returned when it returned
 * (a rollout that did not complete: its message and its facts, where it was left).
 */
export interface JobFailure {
  /** BullMQ's id of the job: one per job however often it ran, for exactly-once records. */
  jobId: string;
  reason: string;
  /** The job's verb, when this process has it registered. */
  verb?: AnyAction;
  result?: ActionResult;
}

export type FailedHook = (data: QueuedJobData, failure: JobFailure) => Promise<void>;
