import type { ChainableCommander, Redis } from 'ioredis';
import type { MessageRef } from '../core/chat-port.js';
import type { Platform } from '../core/request.js';
import { isIncidentButtonValue } from '../pipeline/buttons.js';
import type { CardState, Incident, IncidentButton } from './incident.js';
import { IncidentKeys, KEEP_SECONDS } from './incident-keys.js';

/**
 * How the rest of the bot finds an incident: by a card button's opaque value, by the
 * number on the card's footer, by the card thread a command was typed in, by its
 * PagerDuty incident or dedup key, by service and env. The store and the cards write
 * these indexes (in the same MULTI as the change they index); this reads them.
 */
export class IncidentLookups {
  private readonly keys: IncidentKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly get: (id: string) => Promise<Incident | undefined>,
  ) {
    this.keys = new IncidentKeys(prefix);
  }

  /** Indexes a new incident: its dedup key, number and buttons. */
  indexNew(multi: ChainableCommander, incident: Incident): void {
    multi.set(this.keys.byDedup(incident.pagerduty.dedupKey), incident.id, 'EX', KEEP_SECONDS);
    if (incident.number !== undefined) multi.set(this.keys.number(incident.number), incident.id, 'EX', KEEP_SECONDS);
    for (const button of incident.buttons) {
      multi.set(this.keys.button(button.value), JSON.stringify({ incidentId: incident.id, kind: button.kind, value: button.value }), 'EX', KEEP_SECONDS);
    }
  }

  /** The service's latest incident in its env is this one. */
  indexLatest(multi: ChainableCommander, incident: Incident): void {
    if (incident.service) multi.set(this.keys.open(incident.service, incident.env), incident.id, 'EX', KEEP_SECONDS);
  }

  async indexPagerDuty(id: string, pdIncidentId: string): Promise<void> {
    await this.redis.set(this.keys.byPagerDuty(pdIncidentId), id, 'EX', KEEP_SECONDS);
  }

  /** A command typed in the card's thread names no incident: the thread does. */
  indexThread(multi: ChainableCommander, id: string, card: CardState): void {
    if (card.ref) multi.set(this.keys.thread(card.platform, card.ref.conversation, card.ref.threadId ?? card.ref.id), id, 'EX', KEEP_SECONDS);
  }

  async button(value: string): Promise<{ incident: Incident; button: IncidentButton } | undefined> {
    if (!isIncidentButtonValue(value)) return undefined;
    const raw = await this.redis.get(this.keys.button(value));
    if (!raw) return undefined;
    const { incidentId } = JSON.parse(raw) as { incidentId: string };
    const incident = await this.get(incidentId);
    const button = incident?.buttons.find((b) => b.value === value);
    return incident && button ? { incident, button } : undefined;
  }

  /** The incident's card in a conversation, found by the ref the platform gave it. */
  async cardIn(id: string, platform: Platform, conversation: string): Promise<MessageRef | undefined> {
    const cards = Object.values(await this.redis.hgetall(this.keys.incident(id, 'cards'))).map((c) => JSON.parse(c) as CardState);
    return cards.find((c) => c.platform === platform && (c.ref?.conversation === conversation || c.channel === conversation))?.ref;
  }

  /** The incident whose card footer shows `number`. */
  async byNumber(number: number): Promise<string | undefined> {
    return (await this.redis.get(this.keys.number(number))) ?? undefined;
  }

  /** The incident whose card heads the thread `threadId` of a conversation. */
  async byThread(platform: Platform, conversation: string, threadId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.thread(platform, conversation, threadId))) ?? undefined;
  }

  async byPagerDuty(pdIncidentId: string, dedupKey?: string): Promise<string | undefined> {
    const byId = await this.redis.get(this.keys.byPagerDuty(pdIncidentId));
    if (byId) return byId;
    return dedupKey ? ((await this.redis.get(this.keys.byDedup(dedupKey))) ?? undefined) : undefined;
  }

  /** The number the newest incident got (0 before the first): recent incidents are found by walking down from it. */
  async latestNumber(): Promise<number> {
    return Number((await this.redis.get(this.keys.sequence())) ?? 0);
  }

  /** The latest incident of a service in an env, open or not. */
  async latestFor(service: string, env: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.open(service, env))) ?? undefined;
  }
}
