import { Redis, type RedisOptions } from 'ioredis';

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/**
 * Connects and pings once, failing fast: an unreachable Redis at start-up is an
 * operator's problem to fix, not something to retry forever in silence.
 */
export async function connectRedis(url: string, timeoutMs = 3000, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: null,
    // No retries until the first answer: a refused connection is reported at once.
    retryStrategy: () => null,
    ...options,
  });
  // Without a listener ioredis prints every reconnect error to stderr; the last one
  // is the useful reason (ECONNREFUSED, ENOTFOUND, NOAUTH...).
  let lastError: NodeJS.ErrnoException | undefined;
  redis.on('error', (error: NodeJS.ErrnoException) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    // Once up, keep reconnecting: BullMQ workers must ride out a Redis restart.
    redis.options.retryStrategy = options.retryStrategy ?? ((attempt) => Math.min(attempt * 200, 2000));
    return redis;
  } catch (error) {
    redis.disconnect();
    const cause = lastError ?? (error as NodeJS.ErrnoException);
    const reason = cause.code ?? cause.message;
    throw new RedisUnavailableError(
      `Redis at REDIS_URL=${safeUrl(url)} did not answer (${reason}); start one with 'redis-server --daemonize yes' or set REDIS_URL`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, fit for a log line or an error. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable URL)';
  }
}
