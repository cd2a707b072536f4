import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertHarness, startAlertHarness } from './support/harness.js';
import { runStorm, type StormResult } from './support/storm.js';

let h: AlertHarness;
let result: StormResult;
beforeAll(async () => {
  h = await startAlertHarness('storm', { cardIntervalMs: 1000, workerConcurrency: 32 });
  result = await runStorm(h, { groups: 50, perGroup: 100 });
}, 180_000);
afterAll(async () => {
  await h.close();
});

describe('alert storm: 5,000 notifications over 50 groups', () => {
  it('takes every notification within 60 s', () => {
    expect(result.intakeMs).toBeLessThan(60_000);
  });

  it('keeps one incident per group', () => {
    expect(result.incidents).toBe(50);
  });

  it('loses no alert: every fingerprint is in Redis', () => {
    expect(result.fingerprintsStored).toBe(50 * 100);
  });

  it('posts exactly one card per group per channel', () => {
    expect(result.cardsPerGroupPerChannel).toEqual({ min: 1, max: 1 });
  });

  it('edits each card a bounded number of times (at most one flush per second)', () => {
    expect(result.editsPerGroup.max).toBeLessThanOrEqual(Math.ceil(result.settleMs / 1000) + 3);
  });

  it('never posts twice in a second in one channel', () => {
    // Slots are 1000 ms apart in Redis time; what the fake sees also carries HTTP jitter.
    expect(result.minPostGapMs).toBeGreaterThanOrEqual(900);
  });
});
