import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../src/core/sleep.js';

describe('sleep', () => {
  it('leaves no abort listener behind once it has slept, however many rounds a poll takes', async () => {
    const controller = new AbortController();
    for (let round = 0; round < 20; round++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it("rejects with the signal's reason as soon as it aborts", async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new Error('cancelled by bob'));
    await expect(slept).rejects.toThrow('cancelled by bob');
  });

  it('rejects at once when the signal had already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
