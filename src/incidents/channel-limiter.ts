import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';

// Reserves the next free slot of a channel: every replica shares one schedule, so
// N workers together still post at most once per interval per channel.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextFree)
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) * 4 + (slot - now))
return slot - now
`;

/**
 * At most one new message per channel per interval (Slack: about one per second
 * per channel). Kept in Redis rather than in the process, so it holds across every
 * worker replica; the clock is Redis's, so replicas' clocks need not agree.
 */
export class ChannelLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly intervalMs = 1000,
  ) {}

  /** Waits for this caller's slot in the channel. */
  async take(platform: string, channel: string): Promise<void> {
    const wait = Number(await this.redis.eval(RESERVE, 1, `${this.prefix}:channel-rate:${platform}:${channel}`, this.intervalMs));
    if (wait > 0) await delay(wait);
  }
}
