import type { MessageRef } from '../core/chat-port.js';
import type { Actor, Conversation } from '../core/request.js';

/** The queue verification checks run on, beside the actions queue. */
export const VERIFY_QUEUE = 'verify';

/** One verification, carried from check to check (each check is its own delayed job). */
export interface VerifyJobData {
  /** Stable across the checks of one verification: the mitigating job's id. */
  id: string;
  service: string;
  env: string;
  /** The mitigating verb and its job, for the words in chat. */
  action: string;
  jobNumber: number;
  actor: Actor;
  conversation?: Conversation;
  requestId: string;
  /** The mitigating job's message: results are replied in its thread. */
  messageRef?: MessageRef;
  /** The verification's own reply in that thread, edited as checks pass. */
  statusRef?: MessageRef;
  startedAt: number;
  windowMs: number;
  intervalMs: number;
  /** 1-based number of the check this job runs. */
  check: number;
  /** What to offer when the mitigation does not hold. */
  nextCommand?: string;
  evidenceId?: string;
}

export function checksIn(data: Pick<VerifyJobData, 'windowMs' | 'intervalMs'>): number {
  return Math.max(1, Math.ceil(data.windowMs / data.intervalMs));
}

/** How often to look: a tenth of the window, at least once a second, at most once a minute. */
export function intervalFor(windowMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.round(windowMs / 10)));
}

