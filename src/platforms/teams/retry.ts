import { setTimeout as delay } from 'node:timers/promises';
import type { ChatRetryReason } from '../../core/metrics.js';

/**
 * Retries a Bot Connector call that Teams throttled or could not serve. Teams asks
 * bots to retry 429, 412, 502 and 504 with exponential backoff and jitter
 * (per bot per thread: 7 messages/s, 60/30 s); a Retry-After it sends wins over our
 * own delay. The SDK's HTTP pipeline already retries 429 and 5xx a few times on its
 * own; this outer loop adds 412, and keeps going after the SDK has given up, within
 * a bounded budget, so that a job's final message survives a burst of throttling.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each wait: for logs and metrics. */
  onRetry?: (info: { status: number; attempt: number; delayMs: number }) => void;
}

const RETRYABLE = new Set([412, 429, 502, 504]);

/** The bounded label a retry is counted under (the connector retries only the statuses above). */
export function retryReason(status: number): ChatRetryReason {
  if (status === 429) return '429';
  if (status === 412) return '412';
  return status >= 500 ? '5xx' : '4xx';
}

export async function withConnectorRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || !RETRYABLE.has(status) || attempt >= attempts) throw error;
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      // Full jitter spreads the retries of many cards edited at once.
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const delayMs = Math.max(retryAfterMs(error) ?? 0, jittered);
      options.onRetry?.({ status, attempt, delayMs });
      await delay(delayMs);
    }
  }
}

/** The HTTP status of a failed connector call (the SDK throws RestError with `statusCode`). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if ('statusCode' in error && typeof error.statusCode === 'number') return error.statusCode;
  if ('response' in error && typeof error.response === 'object' && error.response !== null && 'status' in error.response) {
    const status = error.response.status;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  const response = error.response;
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const headers = response.headers;
  if (typeof headers !== 'object' || headers === null || !('get' in headers) || typeof headers.get !== 'function') return undefined;
  const value: unknown = headers.get('retry-after');
  if (typeof value !== 'string') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
