import { UserError } from './errors.js';

/** A word of a command, and whether it began inside quotes: `"--env"` is a value, never a flag. */
export interface Token {
  text: string;
  quoted: boolean;
}

// Phones and Slack's composer turn "straight" quotes into “curly” ones; both must work.
const DOUBLE_OPEN = new Set(['"', '“', '”']);
const DOUBLE_CLOSE = new Set(['"', '”', '“']);

/**
 * Shell-like words: whitespace separates, "double" and 'single' quotes group (and may
 * sit inside a word: `--reason="two words"`), and inside double quotes a backslash
 * escapes `"` or `\`. Any other backslash is kept, so `--grep a\.b` reaches the regex
 * intact. An unterminated quote is a UserError rather than a guess at what was meant.
 */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  let i = 0;
  const end = () => {
    if (inWord) tokens.push({ text: word, quoted });
    word = '';
    inWord = false;
    quoted = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      end();
      i++;
      continue;
    }
    if (!inWord) quoted = DOUBLE_OPEN.has(c) || c === "'";
    inWord = true;
    if (DOUBLE_OPEN.has(c)) {
      i = readDouble(text, i + 1, (s) => {
        word += s;
      });
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw unterminated(text, "'");
      word += text.slice(i + 1, close);
      i = close + 1;
    } else {
      word += c;
      i++;
    }
  }
  end();
  return tokens;
}

/** The words of a command, as the parser sees them (`--flag=value` stays one word). */
export function tokenize(text: string): string[] {
  return lex(text).map((t) => t.text);
}

function readDouble(text: string, start: number, append: (s: string) => void): number {
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (DOUBLE_CLOSE.has(c)) return i + 1;
    const next = text[i + 1];
    if (c === '\\' && next !== undefined && (DOUBLE_CLOSE.has(next) || next === '\\')) {
      append(next);
      i += 2;
      continue;
    }
    append(c);
    i++;
  }
  throw unterminated(text, '"');
}

function unterminated(text: string, quote: string): UserError {
  const hint = quote === "'" ? ` (an apostrophe in free text belongs inside "double quotes")` : '';
  return new UserError(`unterminated quote in: ${shorten(text)} — close the ${quote} quote${hint}`, 'unterminated_quote');
}

/** A value as it appears in a one-line error: on one line, and not a wall of text. */
export function shorten(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
