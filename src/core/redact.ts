/**
 * Secrets must never reach a chat message: log tails and event messages pass through
 * here first. The patterns err on the side of hiding too much; a hidden value is
 * shown as [redacted] so the reader knows something was there.
 */

const MASK = '[redacted]';

const KEY_WORDS =
  '(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token|access[_-]?token|refresh[_-]?token|credentials?|session[_-]?id|signing[_-]?secret|routing[_-]?key)';

const RULES: ReadonlyArray<readonly [RegExp, string | ((...m: string[]) => string)]> = [
  // PEM blocks first: they span lines and contain base64 the other rules would chew on.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, `-----${MASK} PEM block-----`],
  // Authorization headers and bare scheme credentials.
  [/\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (_m, scheme) => `${scheme} ${MASK}`],
  // JWTs: three base64url parts, the first two starting with '{"' encoded.
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // Slack tokens (xoxb-, xoxp-, xoxa-, xoxs-, xoxe-, ...).
  [/\bxox[a-z]-[A-Za-z0-9-]{6,}/gi, MASK],
  // Well-known prefixed keys: GitHub, AWS access key ids, OpenAI/Stripe-style, Google API keys.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, MASK],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, MASK],
  [/\b(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_])?[A-Za-z0-9_-]{16,}/g, MASK],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, MASK],
  // Passwords in connection strings: scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, (_m, head) => `${head}${MASK}@`],
  // key=value, key: value, "key": "value" with a secret-sounding key.
  [
    new RegExp(`(["']?[\\w.-]*${KEY_WORDS}[\\w.-]*["']?\\s*[=:]\\s*)("[^"]*"|'[^']*'|[^\\s,;&}]+)`, 'gi'),
    (_m, head, value) => {
      const quote = value.startsWith('"') || value.startsWith("'") ? value[0] : '';
      return `${head}${quote}${MASK}${quote}`;
    },
  ],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) {
    out = out.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
  }
  return out;
}
