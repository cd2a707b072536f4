import { RE2JS } from 're2js';
import { UserError } from './errors.js';

/**
 * A regular expression typed by a user, run on the bot's one event loop. JavaScript's
 * RegExp backtracks: `(.*.*)*zzz` over a log line froze the whole bot. RE2 matches in
 * time linear in the input, so a hostile pattern costs no more than a plain one; the
 * caps bound the pattern and each line it is matched against.
 */
export const MAX_PATTERN_LENGTH = 200;
/** Longer lines are matched (and shown) up to this many characters. */
export const MAX_MATCHED_LINE = 2_000;

export interface UserPattern {
  /** The pattern as typed, for messages. */
  readonly source: string;
  test(line: string): boolean;
}

/** Compiles `source` case-insensitively with RE2 semantics, or says in one line what is wrong with it. */
export function compileUserPattern(source: string, flag = '--grep'): UserPattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new UserError(`${flag} is ${source.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`, 'bad_regex');
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new UserError(
      `${flag} '${source}' is not a valid regular expression (RE2 syntax: no lookarounds or backreferences): ${reason}`,
      'bad_regex',
    );
  }
  return { source, test: (line) => compiled.test(line.length > MAX_MATCHED_LINE ? line.slice(0, MAX_MATCHED_LINE) : line) };
}
