import type { Redis } from 'ioredis';

/**
 * Recognises activities Teams delivers again. The Bot Connector re-sends an
 * activity it thinks went unanswered (a slow or failed response), with the same
 * activity id; the first delivery claims the key and every later one is answered
 * and ignored, across every replica sharing this Redis.
 */
export class ActivityDedupe {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Far longer than the connector's retry window. */
    private readonly ttlMs = 60 * 60_000,
  ) {}

  /** True exactly once per (conversation, activity id). Activity ids are unique only within a conversation. */
  async first(conversationId: string, activityId: string): Promise<boolean> {
    const result = await this.redis.set(`${this.prefix}:teams:activity:${conversationId}:${activityId}`, '1', 'PX', this.ttlMs, 'NX');
    return result === 'OK';
  }
}
