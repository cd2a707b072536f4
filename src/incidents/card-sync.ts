import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { ChatPort } from '../core/chat-port.js';
import type { Platform } from '../core/request.js';
import { CARD_PLATFORMS, type CardPlatform, type CardTarget, cardTargets, type FallbackChannels } from './alert-channels.js';
import type { AlertPaging } from './alert-paging.js';
import type { ChannelLimiter } from './channel-limiter.js';
import type { CardState, Incident } from './incident.js';
import { incidentCard } from './incident-card.js';
import type { IncidentCards } from './incident-cards.js';
import type { FlushSchedule } from './flush-schedule.js';
import type { IncidentStore } from './incident-store.js';

export type ChatLookup = (platform: Platform) => ChatPort | undefined;

export interface CardSyncDeps {
  store: IncidentStore;
  cards: IncidentCards;
  flushes: FlushSchedule;
  catalog: Catalog;
  chats: ChatLookup;
  limiter: ChannelLimiter;
  log: Logger;
  /** PagerDuty brought in line after each flush: paging through the pipeline, resolving cleared events. */
  paging: AlertPaging;
  /** Per platform, where cards go when the alert's service has no channel there or there is no service (the catalog's defaults.alertChannels). */
  fallbackChannels?: FallbackChannels;
  /** At most one flush (card edit + thread reply) per incident per interval (default 5 s). */
  intervalMs?: number;
  /** Flushes run at once in this process (default 8). */
  concurrency?: number;
  pollMs?: number;
}

const LEASE_MS = 120_000;

/**
 * Brings every card of an incident in line with Redis: the first flush posts the
 * card in each of the service's channels on every configured platform, later ones
 * edit it and reply in its thread with the notes it has not seen, then PagerDuty
 * is brought in line (AlertPaging). Flushes are scheduled in Redis (a sorted set
 * of due times), so a burst of notifications for one group becomes one flush per
 * interval, a crashed worker's flush is taken over when its lease runs out, and a
 * failed one is retried: each card remembers what it already got, so retries never
 * post twice.
 */
export class CardSync {
  private readonly intervalMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = new Map<string, number>();

  constructor(private readonly deps: CardSyncDeps) {
    this.intervalMs = deps.intervalMs ?? 5000;
  }

  /** Called after an incident changed: a flush now, or at the end of its current interval. */
  async changed(id: string): Promise<void> {
    const last = await this.deps.flushes.lastFlushAt(id);
    await this.deps.flushes.schedule(id, Math.max(Date.now(), last + this.intervalMs));
  }

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.poll();
      } catch (error) {
        this.deps.log.warn({ err: error }, 'incident flush poll failed');
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.deps.pollMs ?? 50);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when nothing is due or being flushed (tests, the bench and shutdown). */
  async settled(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 || (await this.deps.flushes.pendingFlushes()) > 0) {
      if (Date.now() > deadline) throw new Error(`incident cards not settled within ${timeoutMs} ms`);
      await delay(25);
    }
  }

  private async poll(): Promise<void> {
    const room = (this.deps.concurrency ?? 8) - this.inFlight.size;
    if (room <= 0) return;
    const ids = await this.deps.flushes.claimDue(Date.now(), LEASE_MS, room);
    for (const id of ids) {
      const run = this.flushClaimed(id).finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
  }

  private async flushClaimed(id: string): Promise<void> {
    try {
      const rev = await this.flush(id);
      this.failures.delete(id);
      await this.deps.flushes.finishFlush(id, rev, Date.now() + this.intervalMs);
    } catch (error) {
      const attempt = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, attempt);
      const delay = Math.min(1000 * 2 ** attempt, 60_000);
      this.deps.log.error({ err: error, incident: id, attempt, retryInMs: delay }, 'incident card flush failed; will retry');
      await this.deps.flushes.retryFlush(id, Date.now() + delay);
    }
  }

  /** One flush; returns the revision it brought the cards to. */
  async flush(id: string): Promise<number> {
    const { store } = this.deps;
    const incident = await store.get(id);
    if (!incident) return Number.POSITIVE_INFINITY;
    const [alerts, cards, notes, lastSeq] = await Promise.all([store.alerts(id), this.deps.cards.cards(id), store.notes(id), store.lastNoteSeq(id)]);
    const runbook = incident.service ? this.deps.catalog.alerts[incident.alertname]?.runbook ?? this.deps.catalog.services[incident.service]?.runbook : undefined;
    const message = incidentCard(incident, alerts, runbook);
    const rendered = createHash('sha256').update(JSON.stringify(message)).digest('hex').slice(0, 16);
    let failed: unknown;
    for (const target of cardTargets(this.deps.catalog, incident.service, this.deps.fallbackChannels)) {
      const chat = this.deps.chats(target.platform);
      if (!chat) continue;
      const card = cards.find((c) => c.platform === target.platform && c.channel === target.channel) ?? { ...target, noteSeq: lastSeq };
      try {
        await this.syncCard(id, chat, card, message, rendered, notes.filter((n) => n.seq > card.noteSeq));
      } catch (error) {
        failed ??= error;
        this.deps.log.warn({ err: error, incident: id, platform: target.platform, channel: target.channel }, 'could not bring an incident card up to date');
      }
    }
    await this.deps.paging.sync(incident);
    if (failed) throw failed;
    return incident.rev;
  }

  private async syncCard(id: string, chat: ChatPort, card: CardState, message: ReturnType<typeof incidentCard>, rendered: string, notes: { seq: number; text: string }[]): Promise<void> {
    const { cards: store, limiter } = this.deps;
    if (!card.ref) {
      await limiter.take(card.platform, card.channel);
      card.ref = await chat.post(card.channel, message);
      card.rendered = rendered;
      // The notes so far are history the new card already shows.
      card.noteSeq = Math.max(card.noteSeq, ...notes.map((n) => n.seq));
      await store.saveCard(id, card);
      return;
    }
    if (card.rendered !== rendered) {
      await chat.update(card.ref, message);
      card.rendered = rendered;
      await store.saveCard(id, card);
    }
    if (notes.length > 0) {
      await limiter.take(card.platform, card.ref.conversation);
      const severity = message.severity === 'success' ? 'success' : 'info';
      await chat.reply(card.ref, { title: notes[0]!.text, severity, ...(notes.length > 1 ? { text: notes.slice(1).map((n) => n.text).join('\n') } : {}) });
      card.noteSeq = notes[notes.length - 1]!.seq;
      await store.saveCard(id, card);
    }
  }

  /**
   * The channels the incident's cards go to on the platforms the bot is connected to,
   * and those platforms; no targets means no one would see the alert in chat.
   */
  destinations(incident: Incident): { targets: CardTarget[]; connected: CardPlatform[] } {
    const connected = CARD_PLATFORMS.filter((platform) => this.deps.chats(platform));
    const targets = cardTargets(this.deps.catalog, incident.service, this.deps.fallbackChannels).filter((t) => connected.includes(t.platform));
    return { targets, connected };
  }
}
