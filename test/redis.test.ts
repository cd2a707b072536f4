import { describe, expect, it } from 'vitest';
import { connectRedis, RedisUnavailableError, safeUrl } from '../src/core/redis.js';
import { REDIS_URL } from './support/redis.js';

describe('connecting to Redis at start-up', () => {
  it('connects to a Redis that answers', async () => {
    const redis = await connectRedis(REDIS_URL);
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('fails fast, naming REDIS_URL and the reason, when nothing answers', async () => {
    const started = Date.now();
    const error = await connectRedis('redis://127.0.0.1:1', 2000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(/^Redis at REDIS_URL=redis:\/\/127\.0\.0\.1:1 did not answer \(ECONNREFUSED\)/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('never shows the password', () => {
    expect(safeUrl('redis://:hunter2@cache:6379/0')).toBe('redis://:***@cache:6379/0');
  });
});
