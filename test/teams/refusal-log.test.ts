import { describe, expect, it } from 'vitest';
import { RefusalLog } from '../../src/platforms/shared/refusal-log.js';
import { recordingLog } from '../support/recording-log.js';

describe('refusal log', () => {
  it('writes one line per refusal up to the limit, then counts the rest and says so in the next window', () => {
    const recorded = recordingLog('info');
    let now = 0;
    const refusals = new RefusalLog(recorded.log, 3, 60_000, () => now);
    for (let i = 0; i < 1000; i++) refusals.refused({ status: 401, reason: 'forged' }, 'refused a Teams request');
    expect(recorded.lines().map((l) => l.msg)).toEqual(Array(3).fill('refused a Teams request'));
    now = 60_000;
    refusals.refused({ status: 400, reason: 'not an activity' }, 'refused a Teams request');
    const lines = recorded.lines();
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatchObject({ suppressed: 997 });
    expect(lines[4]).toMatchObject({ status: 400 });
  });
});
