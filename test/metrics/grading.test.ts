import { describe, expect, it } from 'vitest';
import { fillQuery, formatValue, grade, sparkline } from '../../src/core/health.js';

const errorRate = { badWhen: 'above', warning: 0.01, critical: 0.05 } as const;
const hitRate = { badWhen: 'below', warning: 0.8, critical: 0.5 } as const;

describe('grading an indicator against its thresholds', () => {
  it.each([
    [0.0099, 'healthy'],
    [0.01, 'warning'],
    [0.0499, 'warning'],
    [0.05, 'critical'],
    [0.12, 'critical'],
  ] as const)('badWhen above: %s is %s (reaching a threshold crosses it)', (value, expected) => {
    expect(grade(errorRate, value)).toBe(expected);
  });

  it.each([
    [0.81, 'healthy'],
    [0.8, 'warning'],
    [0.51, 'warning'],
    [0.5, 'critical'],
    [0.2, 'critical'],
  ] as const)('badWhen below: %s is %s', (value, expected) => {
    expect(grade(hitRate, value)).toBe(expected);
  });

  it('grades NaN (a division by zero in PromQL) as critical', () => {
    expect(grade(errorRate, Number.NaN)).toBe('critical');
  });
});

describe('filling and formatting', () => {
  it("fills the catalog's placeholders and leaves PromQL's own braces alone", () => {
    const q = 'sum(rate(x{namespace="{namespace}",pod=~"{deployment}-.*",service="{service}"}[5m])) by (le)';
    expect(fillQuery(q, { namespace: 'ns', deployment: 'dep', service: 'svc' })).toBe(
      'sum(rate(x{namespace="ns",pod=~"dep-.*",service="svc"}[5m])) by (le)',
    );
  });

  it.each([
    ['ratio', 0.1234, '12.3%'],
    ['ratio', 0.0042, '0.42%'],
    ['seconds', 0.25, '250 ms'],
    ['seconds', 31.456, '31.46 s'],
    ['bytes', 2147483648, '2 GB'],
    ['percent', 55.56, '55.6%'],
  ] as const)('formats %s %s as %s', (unit, value, text) => {
    expect(formatValue(unit, value)).toBe(text);
  });

  it('draws a sparkline from the lowest to the highest value', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('draws a flat series as a flat line', () => {
    expect(sparkline([3, 3, 3])).toBe('▄▄▄');
  });
});
