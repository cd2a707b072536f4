import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Runs `work` holding a Redis lock on `key`: every replica merges notifications and
 * changes into the same incident, so read-modify-write must not interleave. The
 * lock expires on its own (10 s) if its holder dies.
 */
export async function withLock<T>(redis: Redis, key: string, what: string, work: () => Promise<T>): Promise<T> {
  const token = randomBytes(8).toString('hex');
  const deadline = Date.now() + 30_000;
  while ((await redis.set(key, token, 'PX', 10_000, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new Error(`${what} stayed locked for 30 s`);
    await sleep(3 + Math.random() * 7);
  }
  try {
    return await work();
  } finally {
    await redis.eval(UNLOCK, 1, key, token);
  }
}
