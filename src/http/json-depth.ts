/**
 * How deeply a JSON text nests, read without parsing it. No platform we serve nests
 * more than a dozen levels, while a body of 30,000 `[` in 60 kB passes JSON.parse and
 * then overflows the stack wherever it is next walked recursively (structured clone
 * to another thread, JSON.stringify into Redis). Bodies are checked with this first.
 */
export const MAX_JSON_DEPTH = 64;

/** True when `raw` opens more than `limit` objects or arrays inside one another. One pass, no allocation. */
export function nestsDeeperThan(raw: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
