import type { Redis } from 'ioredis';
import type { Platform } from '../core/request.js';
import type { CardState } from './incident.js';
import { IncidentKeys, KEEP_SECONDS } from './incident-keys.js';
import type { IncidentLookups } from './incident-lookups.js';

/**
 * Where each card of an incident lives (platform, channel, the platform's ref) and
 * what it was last shown and told: the card syncer's memory, so a retried flush
 * never posts twice.
 */
export class IncidentCards {
  private readonly keys: IncidentKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly lookups: IncidentLookups,
  ) {
    this.keys = new IncidentKeys(prefix);
  }

  async cards(id: string): Promise<CardState[]> {
    return Object.values(await this.redis.hgetall(this.keys.incident(id, 'cards'))).map((c) => JSON.parse(c) as CardState);
  }

  async saveCard(id: string, card: CardState): Promise<void> {
    const key = this.keys.incident(id, 'cards');
    const multi = this.redis.multi().hset(key, cardField(card.platform, card.channel), JSON.stringify(card)).expire(key, KEEP_SECONDS);
    this.lookups.indexThread(multi, id, card);
    await multi.exec();
  }
}

function cardField(platform: Platform, channel: string): string {
  return `${platform}|${channel}`;
}
