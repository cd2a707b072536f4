/**
 * The secret values the bot itself is configured with (signing secret, tokens, app
 * password), hidden by value wherever the bot writes: a user who types one, or an
 * error that carries one, must not have it echoed into a reply, the audit stream, a
 * log line or a metric label. Pattern rules cannot know these values; this can.
 *
 * Process-wide on purpose: redaction is called from every corner of the bot, and the
 * values are fixed once the configuration is read (main.ts registers them).
 */
const MASK = '[redacted]';
/** Shorter values would hide ordinary words; every credential we are given is longer. */
export const MIN_SECRET_LENGTH = 8;
/** The variables that hold credentials: the same names the env loader never echoes. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|API_KEY/i;

let known: string[] = [];

/** The credential values in a parsed environment; comma-separated lists (secrets being rotated) count each part. */
export function secretEnvValues(env: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string')
    .flatMap(([, value]) => [value as string, ...(value as string).split(',').map((part) => part.trim())]);
}

/** Adds `values` to those hidden (unset and short ones are skipped). */
export function registerSecretValues(values: ReadonlyArray<string | undefined>): void {
  const forms = new Set<string>(known);
  for (const value of values) {
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    forms.add(value);
    // As it appears inside a JSON string (a log line, an audit record).
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a secret that contains another is hidden whole.
  known = [...forms].sort((a, b) => b.length - a.length);
}

/** Every occurrence of a registered value replaced by [redacted]: one linear scan per value. */
export function maskSecretValues(text: string): string {
  let out = text;
  for (const value of known) if (out.includes(value)) out = out.split(value).join(MASK);
  return out;
}

/** `data` (plain JSON data: a chat message, say) with every string in it masked. */
export function maskSecretsIn<T>(data: T): T {
  if (known.length === 0) return data;
  return JSON.parse(JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' ? maskSecretValues(value) : value))) as T;
}
