import { AsyncLocalStorage } from 'node:async_hooks';
import type { webApi } from '@slack/bolt';
import type { ChatRetryReason, Metrics } from '../../core/metrics.js';

/**
 * What p-retry passes to `onFailedAttempt` (p-retry 4, which @slack/web-api 8 runs
 * `retryConfig` through): the attempt's error, and how many retries are left after it.
 */
type FailedAttempt = Error & { attemptNumber: number; retriesLeft: number };

/** `retryConfig` as p-retry reads it: the `retry` module's options plus p-retry's own hook. */
export type MeteredRetryOptions = webApi.RetryOptions & { onFailedAttempt(error: FailedAttempt): void };

/**
 * Counts one WebClient's Web API calls (once each, after the client's own retries)
 * and the retries in between, by method. The WebClient has no per-call retry hook;
 * its `retryConfig` goes to p-retry, whose `onFailedAttempt` sees each failed attempt
 * but not the method. The method travels with the call's async context instead: the
 * hook runs in the context of the p-retry attempt, which is the caller's.
 */
export class SlackCallMeter {
  private readonly method = new AsyncLocalStorage<string>();

  constructor(private readonly metrics: Metrics | undefined) {}

  /** `base` plus a hook counting each retry; give it to the WebClient whose calls go through `call`. */
  retryConfig(base: webApi.RetryOptions): MeteredRetryOptions {
    return {
      ...base,
      onFailedAttempt: (error) => {
        // p-retry calls the hook after the last attempt too; only a failure with retries left is retried.
        if (error.retriesLeft <= 0) return;
        this.metrics?.chatRetries.inc({ platform: 'slack', method: this.method.getStore() ?? 'unknown', reason: retryReason(error) });
      },
    };
  }

  /** Runs one Web API call (or one response_url POST) as `method`, and counts its outcome. */
  async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await this.method.run(method, run);
      this.metrics?.chatCalls.inc({ platform: 'slack', method, outcome: 'ok' });
      return result;
    } catch (error) {
      this.metrics?.chatCalls.inc({ platform: 'slack', method, outcome: 'error' });
      throw error;
    }
  }

  /** Counts a call made without the WebClient (a response_url POST), whose outcome the caller decides. */
  count(method: string, ok: boolean): void {
    this.metrics?.chatCalls.inc({ platform: 'slack', method, outcome: ok ? 'ok' : 'error' });
  }
}

/**
 * The WebClient's retried failures (@slack/web-api 8 `WebClient.makeRequest`): a non-200
 * answer is a WebAPIHTTPError with its `statusCode`; anything else is wrapped in a
 * WebAPIRequestError, including the error it throws after waiting out a 429's
 * Retry-After ("A rate limit was exceeded (url: …)"), which is told apart by that text.
 */
function retryReason(error: Error): ChatRetryReason {
  if ('statusCode' in error && typeof error.statusCode === 'number') return error.statusCode >= 500 ? '5xx' : '4xx';
  const original = 'original' in error && error.original instanceof Error ? error.original : error;
  return original.message.startsWith('A rate limit was exceeded') ? '429' : 'network';
}
