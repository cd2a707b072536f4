import { redactText } from '../core/redact.js';

/** Runbook 003: "no repeating stack traces in the last 5 minutes" — repeating means this many times or more. */
export const REPEATS = 3;
/** The longest trace line quoted; a trace head is a sentence, not a payload. */
const MAX_QUOTED = 300;

/** A frame line: JavaScript and Java (`    at fn (file:1:2)`), Python (`  File "x.py", line 3`). */
const FRAME = /^\s+(at\s|File\s")/;
/** Lines are cut to this before matching, so no pattern runs on unbounded input. */
const MAX_LINE = 2000;
const PYTHON_HEAD = /^Traceback \(most recent call last\):\s*$/;

export interface RepeatingTrace {
  /** The trace's first line, redacted, as it first appeared. */
  line: string;
  count: number;
}

/** Numbers differ between occurrences of the same fault (ids, ports, durations, timestamps): mask them so they compare equal. */
export function maskNumbers(line: string): string {
  return line.replace(/\d+/g, 'N');
}

/**
 * The first line of every stack trace in `lines`: the line a frame block follows (a
 * JavaScript or Java error), or, for a Python traceback whose head is always the same
 * "Traceback (most recent call last):", the exception line that ends it.
 */
export function traceHeads(raw: readonly string[]): string[] {
  const lines = raw.map((l) => (l.length > MAX_LINE ? l.slice(0, MAX_LINE) : l));
  const heads: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (PYTHON_HEAD.test(line)) {
      let j = i + 1;
      while (j < lines.length && (FRAME.test(lines[j]!) || /^\s{4,}\S/.test(lines[j]!))) j++;
      if (j < lines.length && j > i + 1) heads.push(lines[j]!);
      i = j;
      continue;
    }
    if (FRAME.test(line)) continue;
    if (line.trim() !== '' && i + 1 < lines.length && FRAME.test(lines[i + 1]!)) heads.push(line);
  }
  return heads;
}

/** The traces whose first line, numbers masked, comes back REPEATS times or more, most frequent first. */
export function repeatingTraces(logs: readonly string[], repeats = REPEATS): RepeatingTrace[] {
  const seen = new Map<string, RepeatingTrace>();
  for (const text of logs) {
    for (const head of traceHeads(text.split('\n'))) {
      const trimmed = head.trim();
      const key = maskNumbers(trimmed);
      const known = seen.get(key);
      if (known) known.count += 1;
      else seen.set(key, { line: quoted(trimmed), count: 1 });
    }
  }
  return [...seen.values()].filter((t) => t.count >= repeats).sort((a, b) => b.count - a.count);
}

function quoted(line: string): string {
  const cut = line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED)}…` : line;
  return redactText(cut);
}
