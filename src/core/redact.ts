import { RE2JS } from 're2js';
import { maskSecretValues } from './secret-values.js';

/**
 * Secrets must never reach a chat message: log tails and event messages pass through
 * here first. The patterns err on the side of hiding too much; a hidden value is
 * shown as [redacted] so the reader knows something was there.
 *
 * The rules run on RE2 (re2js), whose matching is linear in the input: with
 * JavaScript's backtracking RegExp the key=value rule was quadratic, and a 40 kB
 * command held the event loop for seconds each time it was redacted.
 */

const MASK = '[redacted]';

const KEY_WORDS =
  '(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token|access[_-]?token|refresh[_-]?token|credentials?|session[_-]?id|signing[_-]?secret|routing[_-]?key)';

type Replacement = (match: string, ...groups: string[]) => string;

/** A fixed replacement is given as a function too, so that no `$` in it is ever read as a group reference. */
const rule = (pattern: string, replacement: string | Replacement, flags = 0) =>
  [RE2JS.compile(pattern, flags), typeof replacement === 'string' ? () => replacement : replacement] as const;
const I = RE2JS.CASE_INSENSITIVE;

const RULES: ReadonlyArray<readonly [RE2JS, Replacement]> = [
  // PEM blocks first: they span lines and contain base64 the other rules would chew on.
  rule('-----BEGIN [A-Z0-9 ]+-----[\\s\\S]*?(?:-----END [A-Z0-9 ]+-----|$)', `-----${MASK} PEM block-----`),
  // Authorization headers and bare scheme credentials.
  rule('\\b(Bearer|Basic|Token|Digest)\\s+[A-Za-z0-9._~+/=-]{8,}', (_m, scheme) => `${scheme} ${MASK}`, I),
  // JWTs: three base64url parts, the first two starting with '{"' encoded.
  rule('\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*', MASK),
  // Slack tokens (xoxb-, xoxp-, xoxa-, xoxs-, xoxe-, ...).
  rule('\\bxox[a-z]-[A-Za-z0-9-]{6,}', MASK, I),
  // Well-known prefixed keys: GitHub, AWS access key ids, OpenAI/Stripe-style, Google API keys.
  rule('\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})', MASK),
  rule('\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b', MASK),
  rule('\\b(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_])?[A-Za-z0-9_-]{16,}', MASK),
  rule('\\bAIza[0-9A-Za-z_-]{30,}', MASK),
  // Passwords in connection strings: scheme://user:password@host.
  rule('\\b([a-z][a-z0-9+.-]*://[^\\s:/@]*:)[^\\s@/]+@', (_m, head) => `${head}${MASK}@`, I),
  // key=value, key: value, "key": "value" with a secret-sounding key.
  rule(
    `(["']?[\\w.-]*${KEY_WORDS}[\\w.-]*["']?\\s*[=:]\\s*)("[^"]*"|'[^']*'|[^\\s,;&}]+)`,
    (_m, head, value) => {
      const quote = value!.startsWith('"') || value!.startsWith("'") ? value![0] : '';
      return `${head}${quote}${MASK}${quote}`;
    },
    I,
  ),
];

export function redactText(text: string): string {
  let out = maskSecretValues(text);
  for (const [pattern, replacement] of RULES) {
    // Most text matches no rule: the boolean test runs on RE2's DFA, far faster than a replace.
    if (!pattern.test(out)) continue;
    out = pattern.matcher(out).replaceAll(replacement);
  }
  return out;
}
