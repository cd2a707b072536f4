import type { Redis } from 'ioredis';

export type ClaimOnce<T> = { status: 'claimed'; pending: T } | { status: 'already'; outcome: string } | { status: 'missing' };

// Atomic: two presses racing each other (or a press racing the expiry sweep) must
// not both see "unclaimed". KEYS[3], when given, is an index to drop the id from.
const CLAIM = `
local data = redis.call('GET', KEYS[1])
if not data then return {'missing'} end
local done = redis.call('GET', KEYS[2])
if done then return {'already', done} end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
if #KEYS == 3 then redis.call('ZREM', KEYS[3], ARGV[3]) end
return {'claimed', data}
`;

/**
 * Marks a stored request (a confirmation, an approval) used, exactly once, and says
 * what happened to it if it already was: `outcome` ("confirmed by ada") is kept for
 * `rememberMs` so a late press is told, not silently ignored.
 */
export async function claimOnce<T>(
  redis: Redis,
  dataKey: string,
  outcome: string,
  rememberMs: number,
  index?: { key: string; member: string },
): Promise<ClaimOnce<T>> {
  const keys = index ? [dataKey, `${dataKey}:done`, index.key] : [dataKey, `${dataKey}:done`];
  const args = index ? [outcome, rememberMs, index.member] : [outcome, rememberMs];
  const result = (await redis.eval(CLAIM, keys.length, ...keys, ...args)) as string[];
  if (result[0] === 'claimed') return { status: 'claimed', pending: JSON.parse(result[1]!) as T };
  if (result[0] === 'already') return { status: 'already', outcome: result[1]! };
  return { status: 'missing' };
}
