import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Plan } from '../core/action.js';
import type { MessageRef } from '../core/chat-port.js';
import type { Actor, Conversation } from '../core/request.js';

/** What the web side hands to the queue: everything a worker needs to run a confirmed plan. */
export interface ActionJobData {
  /** Registry name of the action. */
  action: string;
  /** Already validated args (JSON-serialisable). */
  args: unknown;
  plan: Plan;
  env: string;
  reason?: string;
  actor: Actor;
  conversation?: Conversation;
  threadId?: string;
  requestId: string;
  /** The plan/progress message to edit; results are replied under it. */
  messageRef?: MessageRef;
  /** The second person who approved the plan, where policy asked for one. */
  approvedBy?: Actor;
}

/** Job data as stored: the submitted data plus the number people type in `cancel N`. */
export interface QueuedJobData extends ActionJobData {
  jobNumber: number;
}

/** A finished job's return value. Failures are BullMQ's failed state, not an outcome. */
export type JobOutcome =
  | { status: 'succeeded'; title: string }
  | { status: 'cancelled'; by: string }
  | { status: 'refused'; reason: string };

/** How long finished jobs, and our keys about them, are kept unless the queue is told otherwise. */
export const DEFAULT_KEEP_FINISHED_MS = 7 * 24 * 60 * 60_000;

/** How long BullMQ keeps a job that ended `how`: the age in its removeOnComplete/removeOnFail, else the default. */
export function retentionMs(opts: JobsOptions, how: 'completed' | 'failed'): number {
  const keep = how === 'completed' ? opts.removeOnComplete : opts.removeOnFail;
  return typeof keep === 'object' && 'age' in keep && keep.age !== undefined ? keep.age * 1000 : DEFAULT_KEEP_FINISHED_MS;
}

/** The one BullMQ queue changing actions run on. */
export const ACTION_QUEUE = 'actions';

/**
 * BullMQ job ids may contain neither ':' nor be all digits, and idempotency keys
 * (interaction ids, confirmation ids) may be either, so the id is a hash of the key.
 */
export function jobIdFor(idempotencyKey: string): string {
  return `j${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

/** Our own keys beside BullMQ's, all under the same prefix so one prefix cleans everything. */
export class JobKeys {
  constructor(private readonly prefix: string) {}

  get sequence(): string {
    return `${this.prefix}:jobs:seq`;
  }

  get cancelChannel(): string {
    return `${this.prefix}:jobs:cancel`;
  }

  idempotency(jobId: string): string {
    return `${this.prefix}:jobs:idem:${jobId}`;
  }

  number(jobNumber: number): string {
    return `${this.prefix}:jobs:num:${jobNumber}`;
  }

  get numberPrefix(): string {
    return `${this.prefix}:jobs:num:`;
  }

  lock(service: string, env: string): string {
    return `${this.prefix}:jobs:lock:${service}:${env}`;
  }

  cancel(jobId: string): string {
    return `${this.prefix}:jobs:cancel:${jobId}`;
  }

  /** Set when a worker starts the job, in the same step that checks for a cancel request. */
  started(jobId: string): string {
    return `${this.prefix}:jobs:started:${jobId}`;
  }

  /** Set by the one worker that reports a job failed for stalling too often. */
  stallReported(jobId: string): string {
    return `${this.prefix}:jobs:stall-reported:${jobId}`;
  }

  /** The stall count a worker last saw for the job, so a resume is announced once. */
  stalls(jobId: string): string {
    return `${this.prefix}:jobs:stalls:${jobId}`;
  }
}
