import { describe, expect, it } from 'vitest';
import { durationMs } from '../src/core/duration.js';
import { ConfigError, loadEnv } from '../src/config/env.js';

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the environment to be rejected');
}

describe('environment configuration', () => {
  it('has safe defaults for everything', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'maestro',
      MAESTRO_CATALOG: 'config/catalog.yaml',
      MAESTRO_ROLE: 'all',
      MAESTRO_SANDBOX: false,
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadEnv({}))).toBe(true);
  });

  it('treats an empty value as unset', () => {
    expect(loadEnv({ PORT: '' }).PORT).toBe(3000);
  });

  it('names a malformed port and what it expects', () => {
    expect(problemsOf({ PORT: 'http' })).toEqual(["PORT: expected a port number 0-65535 (0: any free port), got 'http'"]);
  });

  it('rejects a port out of range', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual(["PORT: expected a port number 0-65535 (0: any free port), got '70000'"]);
  });

  it('rejects an unknown role', () => {
    expect(problemsOf({ MAESTRO_ROLE: 'boss' })).toEqual(["MAESTRO_ROLE: expected 'all', 'web' or 'worker', got 'boss'"]);
  });

  it('does not echo a URL that may carry a password', () => {
    expect(problemsOf({ REDIS_URL: 'http://:hunter2@redis' })).toEqual(['REDIS_URL: expected a redis:// or rediss:// URL']);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', MAESTRO_SANDBOX: 'maybe' })).toHaveLength(3);
  });

  it('reads durations in ms, s, m and h', () => {
    expect([durationMs('250ms'), durationMs('30s'), durationMs('10m'), durationMs('1h')]).toEqual([
      250, 30_000, 600_000, 3_600_000,
    ]);
  });
});
