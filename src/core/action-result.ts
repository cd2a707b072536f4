import type { ActionResult } from './action.js';
import type { Message } from './message.js';

/** The plan's change holds (or, for a read, the answer is ready). */
export function done<Facts>(message: Message, facts?: Facts): ActionResult<Facts> {
  return { outcome: 'done', message, ...(facts === undefined ? {} : { facts }) };
}

/** It ran, but the world did not get where the plan said: the job fails with this message as its reply. */
export function failed<Facts>(message: Message, facts?: Facts): ActionResult<Facts> {
  return { outcome: 'failed', message, ...(facts === undefined ? {} : { facts }) };
}

/** It stopped for a cancel; the message says where it got. */
export function cancelled<Facts>(message: Message, facts?: Facts): ActionResult<Facts> {
  return { outcome: 'cancelled', message, ...(facts === undefined ? {} : { facts }) };
}
