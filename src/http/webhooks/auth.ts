import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Environment variables of the Alertmanager receiver (main.ts extends the env schema with them). */
export const AlertmanagerEnvShape = {
  /** Bearer token Alertmanager sends (http_config.authorization.credentials). */
  ALERTMANAGER_TOKEN: z.string().min(16, 'use a token of at least 16 characters').optional(),
  ALERTMANAGER_BASIC_USER: z.string().min(1).optional(),
  ALERTMANAGER_BASIC_PASSWORD: z.string().min(8).optional(),
};

export interface AlertmanagerAuth {
  token?: string;
  basic?: { user: string; password: string };
}

/** Equal-length digests compared in constant time, so neither length nor prefix leaks. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True when the Authorization header carries the configured bearer token or basic credentials. */
export function alertmanagerAuthorized(header: string | undefined, auth: AlertmanagerAuth): boolean {
  if (!header) return false;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  let ok = false;
  if (auth.token && scheme?.toLowerCase() === 'bearer') ok = safeEqual(credentials, auth.token);
  if (auth.basic && scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    ok = safeEqual(decoded, `${auth.basic.user}:${auth.basic.password}`);
  }
  return ok;
}

/**
 * PagerDuty v3 signatures: `v1=<hex HMAC-SHA256 of the raw body>`, one per active
 * secret, comma-separated. Any match, against any of our secrets, is accepted — that
 * is how a secret is rotated without dropping deliveries.
 */
export function pagerDutySignatureValid(header: string | undefined, rawBody: Buffer, secrets: string[]): boolean {
  if (!header || secrets.length === 0) return false;
  const given = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => s.slice(3));
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
    // Every pair is compared, so the time taken does not say which one matched.
    for (const signature of given) ok = safeEqual(signature, expected) || ok;
  }
  return ok;
}
