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

  it('posts no faster than one message per second in any channel', () => {
    // The limiter hands out slots 1000 ms apart on Redis's clock. What the fake sees
    // also carries timer and HTTP jitter, so one gap can look short while the next
    // looks long; over a channel's whole run (~27 posts) only the first and last
    // posts' jitter remains, which 5% covers.
    expect(result.maxPostsPerSecond).toBeLessThanOrEqual(1.05);
  });

  it('never lets delivery jitter bunch two posts closer than half a second', () => {
    expect(result.minPostGapMs).toBeGreaterThanOrEqual(500);
  });
});
