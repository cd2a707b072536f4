import type { Redis } from 'ioredis';

/**
 * Recognises Slack's retries and duplicate deliveries. Slack re-sends a request it
 * thinks went unanswered (X-Slack-Retry-Num) up to three times over about five
 * minutes, and a flaky network can deliver one twice; the first delivery claims
 * the key and every later one is acknowledged and ignored.
 */
export class DeliveryDedupe {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Longer than Slack's retry schedule, so the last retry still finds the key. */
    private readonly ttlMs = 60 * 60_000,
  ) {}

  /** True exactly once per key across every replica sharing this Redis. */
  async first(key: string): Promise<boolean> {
    const result = await this.redis.set(`${this.prefix}:slack:delivery:${key}`, '1', 'PX', this.ttlMs, 'NX');
    return result === 'OK';
  }
}

/**
 * The identity of one user gesture: Slack gives every slash command and button
 * press its own trigger_id and every event an event_id, and a retry carries the
 * same body — so these identify the delivery, not the attempt.
 */
export function deliveryKey(kind: 'command' | 'action', body: { trigger_id?: string; team?: { id: string } | null; team_id?: string }, extra = ''): string | undefined {
  if (!body.trigger_id) return undefined;
  const team = body.team_id ?? body.team?.id ?? '-';
  return `${kind}:${team}:${body.trigger_id}${extra ? `:${extra}` : ''}`;
}
