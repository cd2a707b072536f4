import { describe, expect, it } from 'vitest';
import { durationMs, formatDuration, parseDuration } from '../../src/core/duration.js';

describe('durations', () => {
  it('reads every unit the catalog, the environment and commands use', () => {
    expect(['250ms', '30s', '10m', '2h', '7d'].map(parseDuration)).toEqual([250, 30_000, 600_000, 7_200_000, 604_800_000]);
  });

  it('refuses what is not a duration: no unit, a sign, a fraction, spaces, an unknown unit', () => {
    for (const text of ['10', '-5m', '1.5h', ' 10m', '10 m', '3w', '', 'm']) expect(parseDuration(text)).toBeUndefined();
  });

  it('refuses a duration too large to count in milliseconds exactly', () => {
    expect(parseDuration(`${'9'.repeat(20)}d`)).toBeUndefined();
  });

  it('throws, naming the text, when a value that should have been validated is not a duration', () => {
    expect(() => durationMs('soon')).toThrow('not a duration: soon');
  });

  it('writes a duration in the largest unit that divides it, as people type them', () => {
    expect([600_000, 90_000, 7_200_000, 86_400_000, 1500, 0].map(formatDuration)).toEqual(['10m', '90s', '2h', '1d', '1500ms', '0s']);
  });
});
