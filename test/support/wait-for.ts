import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** Default 10 s: long enough for a loaded 2-core CI machine, short enough to fail a test clearly. */
  timeoutMs?: number;
  everyMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
  /** What was seen instead, for the failure message (calls made, states reached). */
  seen?: () => string;
}

/**
 * The tests' one way to wait for something to happen: polls `probe` until it returns a
 * value other than undefined or false (an error thrown counts as "not yet", and the
 * last one is named if time runs out) and returns that value.
 */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, everyMs = 20, what = 'the condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const seen = options.seen ? `; ${options.seen()}` : '';
      const error = last === undefined ? '' : `; last error: ${last instanceof Error ? last.message : String(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}${error}`);
    }
    await delay(everyMs);
  }
}
