import type { Redis } from 'ioredis';
import { KEEP_SECONDS } from './incident-store.js';

// Reserves the next flush of an incident no earlier than `notBefore`; an incident
// already scheduled (or being flushed) keeps its slot, so a burst becomes one flush.
const SCHEDULE = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
`;

// Takes a due incident for `lease` ms: the lease runs out if this process dies mid-flush.
const CLAIM = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`;

/**
 * When each incident's cards are next brought up to date: a sorted set of due
 * times in Redis, shared by every replica, with leases so a crashed flusher's
 * incident is taken over. `revOf` reads the incident's current revision, so a
 * change made during a flush schedules another.
 */
export class FlushSchedule {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly revOf: (id: string) => Promise<number | undefined>,
  ) {}

  private get dirtyKey(): string {
    return `${this.prefix}:incidents:dirty`;
  }

  private flushedAtKey(id: string): string {
    return `${this.prefix}:incident:${id}:flushed-at`;
  }

  /** Asks for a card flush no earlier than `notBefore` (ms since the epoch). */
  async schedule(id: string, notBefore: number): Promise<void> {
    await this.redis.eval(SCHEDULE, 1, this.dirtyKey, id, notBefore);
  }

  /** Incidents whose flush is due, each leased to the caller for `leaseMs`. */
  async claimDue(now: number, leaseMs: number, limit: number): Promise<string[]> {
    const due = await this.redis.zrangebyscore(this.dirtyKey, '-inf', now, 'LIMIT', 0, limit);
    const claimed: string[] = [];
    for (const id of due) {
      if ((await this.redis.eval(CLAIM, 1, this.dirtyKey, id, now, now + leaseMs)) === 1) claimed.push(id);
    }
    return claimed;
  }

  /** After a flush: done if nothing changed meanwhile, else due again at `next`. */
  async finishFlush(id: string, flushedRev: number, next: number): Promise<void> {
    const rev = await this.revOf(id);
    if (rev !== undefined && rev > flushedRev) await this.redis.zadd(this.dirtyKey, next, id);
    else await this.redis.zrem(this.dirtyKey, id);
    await this.redis.set(this.flushedAtKey(id), Date.now(), 'EX', KEEP_SECONDS);
  }

  async retryFlush(id: string, at: number): Promise<void> {
    await this.redis.zadd(this.dirtyKey, at, id);
  }

  async lastFlushAt(id: string): Promise<number> {
    return Number((await this.redis.get(this.flushedAtKey(id))) ?? 0);
  }

  async pendingFlushes(): Promise<number> {
    return this.redis.zcard(this.dirtyKey);
  }
}
