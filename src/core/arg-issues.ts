import type { z } from 'zod';
import { shorten } from './tokenize.js';

/**
 * zod issues of an action's arguments as one line in the words of the command line:
 * `--to-revision must be at least 1, got 0`, naming the flag or `<positional>` the user
 * typed rather than the camelCased key they never saw.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  input: Readonly<Record<string, unknown>>,
  labels: ReadonlyMap<string, string>,
  verb: string,
): string {
  const lines = issues.map((issue) => {
    const key = issue.path[0];
    if (key === undefined) return `${verb}: ${issue.message}`;
    const label = labels.get(String(key)) ?? `<${String(key)}>`;
    const value = input[String(key)];
    const got = value === undefined || typeof value === 'object' ? '' : `, got '${shorten(String(value), 40)}'`;
    return `${label} ${problem(issue, value)}${got}`;
  });
  return lines.join('; ');
}

function problem(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return issue.inclusive === false ? `must be more than ${issue.minimum}` : `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return issue.inclusive === false ? `must be less than ${issue.maximum}` : `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return value === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    default:
      return lowerFirst(issue.message);
  }
}

function article(expected: string): string {
  if (expected === 'number' || expected === 'int') return 'a number';
  if (expected === 'boolean') return 'on or off';
  return `a ${expected}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
