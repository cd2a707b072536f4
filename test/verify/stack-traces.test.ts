import { describe, expect, it } from 'vitest';
import { maskNumbers, repeatingTraces, traceHeads } from '../../src/verification/stack-traces.js';

/** Runbook 003's "no repeating stack traces in the last 5 minutes", as the text of pod logs. */
function nodeTrace(message: string): string[] {
  return [message, '    at resolveBudget (/app/dist/orchestrator/budget.js:88:31)', '    at async Orchestrator.run (/app/dist/orchestrator/index.js:57:22)'];
}

describe('repeating stack traces', () => {
  it('finds a trace whose first line comes back three times, however its numbers differ', () => {
    const log = [
      ...nodeTrace('Error: connect ECONNREFUSED 10.0.0.12:5432'),
      'INFO request completed status=200',
      ...nodeTrace('Error: connect ECONNREFUSED 10.0.0.13:5432'),
      ...nodeTrace('Error: connect ECONNREFUSED 10.0.0.14:5432'),
    ].join('\n');
    expect(repeatingTraces([log])).toEqual([{ line: 'Error: connect ECONNREFUSED 10.0.0.12:5432', count: 3 }]);
  });

  it('counts the same trace across the pods of the deployment', () => {
    const pod = (n: number) => nodeTrace(`TypeError: Cannot read properties of undefined (reading 'budgetPolicy') at request ${n}`).join('\n');
    expect(repeatingTraces([pod(1), pod(2), pod(3)])).toHaveLength(1);
  });

  it('lets a trace seen twice pass', () => {
    const log = [...nodeTrace('Error: timeout after 3000ms'), ...nodeTrace('Error: timeout after 3100ms')].join('\n');
    expect(repeatingTraces([log])).toEqual([]);
  });

  it('does not count an error line that no frames follow as a trace', () => {
    const log = Array.from({ length: 5 }, () => 'ERROR orchestration failed status=500').join('\n');
    expect(repeatingTraces([log])).toEqual([]);
  });

  it("takes a Python traceback's exception line as its first line, not the header every traceback shares", () => {
    const traceback = (id: number) => ['Traceback (most recent call last):', '  File "/app/worker.py", line 42, in run', '    result = handler(job)', `KeyError: 'job-${id}'`];
    const heads = traceHeads([...traceback(1), ...traceback(2)]);
    expect(heads).toEqual(["KeyError: 'job-1'", "KeyError: 'job-2'"]);
  });

  it('quotes the line with its secrets redacted', () => {
    const log = Array.from({ length: 3 }, () => nodeTrace('Error: auth failed for redis://:s3cr3tpass@redis-master:6379/0')).flat().join('\n');
    const [trace] = repeatingTraces([log]);
    expect(trace!.line).not.toContain('s3cr3tpass');
    expect(trace!.count).toBe(3);
  });

  it('masks every run of digits', () => {
    expect(maskNumbers('2026-12-01T10:00:00Z port 5432 id=ab12')).toBe('N-N-NTN:N:NZ port N id=abN');
  });

  it('reads a very long line in bounded time', () => {
    const long = `${' '.repeat(50_000)}${'x'.repeat(50_000)}`;
    const started = performance.now();
    repeatingTraces([Array.from({ length: 100 }, () => long).join('\n')]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
