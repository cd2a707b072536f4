import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PagerDutyClient } from '../clients/pagerduty.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { MessageRef } from '../core/chat-port.js';
import { PagerDutySync } from '../pipeline/pagerduty-sync.js';
import { type FallbackChannels, UnroutedAlerts } from './alert-channels.js';
import { AlertPaging } from './alert-paging.js';
import { AlertQueue, type AlertJob, startAlertWorker } from './alert-queue.js';
import type { AutomaticChangesPort } from './automatic-port.js';
import { threadLink } from '../platforms/thread-link.js';
import { CardSync, type ChatLookup } from './card-sync.js';
import { ChannelLimiter } from './channel-limiter.js';
import { PagerDutyEchoes } from './echoes.js';
import { FlushSchedule } from './flush-schedule.js';
import { IncidentCards } from './incident-cards.js';
import { IncidentLookups } from './incident-lookups.js';
import { IncidentPager } from './incident-pager.js';
import { IncidentStore } from './incident-store.js';
import type { Incident } from './incident.js';
import { IncidentResponder } from './responder.js';
import { VerificationResolver } from './verification-resolver.js';

export { AlertQueue } from './alert-queue.js';
export type { AutomaticChangesPort } from './automatic-port.js';
export { IncidentCards } from './incident-cards.js';
export { IncidentLookups } from './incident-lookups.js';
export { IncidentPager } from './incident-pager.js';
export { IncidentStore } from './incident-store.js';
export { VerificationResolver } from './verification-resolver.js';
export type { Incident } from './incident.js';

export interface IncidentsOptions {
  connection: Redis;
  prefix: string;
  catalog: Catalog;
  chats: ChatLookup;
  log: Logger;
  pagerduty?: PagerDutyClient;
  /** routingKeysFrom(catalog, process.env). */
  routingKeys?: Record<string, string>;
  /**
   * Per platform, where cards go when the alert names no catalog service or its
   * service has no channel there: main.ts passes the catalog's defaults.alertChannels.
   */
  fallbackChannels?: FallbackChannels;
  /** Where the incident counters are registered (the registry /metrics serves). */
  registry?: Registry;
  threadLink?: (ref: MessageRef) => string | undefined;
  /** Card edits per incident: at most one per interval (default 5 s). */
  cardIntervalMs?: number;
  /** New messages per channel: at most one per interval (default 1 s, Slack's limit). */
  channelIntervalMs?: number;
  /** Run the alert queue worker and the card flusher here (worker role). */
  runWorker: boolean;
  workerConcurrency?: number;
  flushConcurrency?: number;
}

export interface Incidents {
  store: IncidentStore;
  lookups: IncidentLookups;
  cards: IncidentCards;
  queue: AlertQueue;
  sync: CardSync;
  responder: IncidentResponder;
  /** Present when PagerDuty is configured: the Pager for break-glass and the `page` verb. */
  pager?: IncidentPager;
  /** Present when PagerDuty is configured: verification's IncidentResolver, resolving through the pipeline. */
  resolver?: VerificationResolver;
  /**
   * Hands incidents the pipeline's entry for automatic changes (alert paging,
   * verification resolving), once the command handler exists; `jobsIdle` tells
   * `settled()` when the jobs those changes enqueued are done.
   */
  automate(automatic: AutomaticChangesPort, jobsIdle?: () => Promise<boolean>): void;
  /**
   * Starts taking alert jobs (worker role). Call once the chat adapters are connected:
   * an alert handled before then would find no channel to post its card in.
   */
  start(): void;
  /** Resolves when every queued notification is processed and every card is flushed. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Alerts and incidents (issue #8), wired from its parts; main.ts calls this once. */
export function startIncidents(options: IncidentsOptions): Incidents {
  const { connection, prefix, catalog, log } = options;
  const lookups: IncidentLookups = new IncidentLookups(connection, prefix, (id): Promise<Incident | undefined> => store.get(id));
  const store = new IncidentStore(connection, prefix, catalog, lookups);
  const cards = new IncidentCards(connection, prefix, lookups);
  const queue = new AlertQueue(connection, prefix, log);
  const flushes = new FlushSchedule(connection, prefix, async (id) => (await store.get(id))?.rev);
  const changed = (id: string): Promise<void> => sync.changed(id);
  const pager = options.pagerduty
    ? new IncidentPager({
        catalog,
        pagerduty: options.pagerduty,
        routingKeys: options.routingKeys ?? {},
        store,
        lookups,
        cards,
        changed,
        threadLink: options.threadLink ?? threadLink,
        log,
      })
    : undefined;
  let automatic: AutomaticChangesPort | undefined;
  let jobsIdle: (() => Promise<boolean>) | undefined;
  const cardLog = log.child({ component: 'incident-cards' });
  // One schedule for every new message in an alert channel: cards, notes and what automatic changes say.
  const limiter = new ChannelLimiter(connection, prefix, options.channelIntervalMs ?? 1000);
  const paging = new AlertPaging({ catalog, cards, chats: options.chats, limiter, log: cardLog, ...(pager ? { pager } : {}), automatic: () => automatic });
  const sync = new CardSync({
    store,
    cards,
    flushes,
    catalog,
    chats: options.chats,
    limiter,
    log: cardLog,
    paging,
    ...(options.fallbackChannels ? { fallbackChannels: options.fallbackChannels } : {}),
    ...(options.cardIntervalMs !== undefined ? { intervalMs: options.cardIntervalMs } : {}),
    ...(options.flushConcurrency ? { concurrency: options.flushConcurrency } : {}),
  });
  const echoes = new PagerDutyEchoes(connection, prefix);
  const responder = new IncidentResponder({ store, echoes, changed, log, ...(options.pagerduty ? { pagerduty: options.pagerduty } : {}) });
  const pagerSync = new PagerDutySync({ store, lookups, echoes, changed, log });
  const resolver = pager
    ? new VerificationResolver({ store, lookups, cards, chats: options.chats, limiter, pager, automatic: () => automatic, log: log.child({ component: 'verification-resolver' }) })
    : undefined;

  let worker: Worker<AlertJob> | undefined;
  if (options.runWorker) {
    const unrouted = new UnroutedAlerts(log.child({ component: 'alert-routing' }), options.registry);
    worker = startAlertWorker({
      connection,
      prefix,
      log,
      pagerduty: pagerSync,
      concurrency: options.workerConcurrency,
      ingest: async (payload) => {
        const { incident } = await store.ingest(payload);
        // Answered with 200 already, and a retry would land nowhere again: say so, loudly.
        const { targets, connected } = sync.destinations(incident);
        if (targets.length === 0) unrouted.report(incident, connected);
        await sync.changed(incident.id);
      },
    });
  }

  return {
    store,
    lookups,
    cards,
    queue,
    sync,
    responder,
    ...(pager ? { pager } : {}),
    ...(resolver ? { resolver } : {}),
    automate(entry, idle) {
      automatic = entry;
      jobsIdle = idle;
    },
    start() {
      if (!worker) return;
      worker.run().catch((error: unknown) => log.error({ err: error }, 'alert worker stopped'));
      sync.start();
    },
    async settled(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      // A flush may enqueue a page job, and the job changes the incident again: idle only when all three are.
      for (;;) {
        for (;;) {
          const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          if (Object.values(counts).every((n) => n === 0)) break;
          if (Date.now() > deadline) throw new Error(`alert jobs not settled within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
          await sleep(25);
        }
        await sync.settled(Math.max(1, deadline - Date.now()));
        if (!jobsIdle || (await jobsIdle())) {
          if ((await flushes.pendingFlushes()) === 0) break;
        } else if (Date.now() > deadline) {
          throw new Error(`jobs enqueued by automatic changes not settled within ${timeoutMs} ms`);
        } else {
          await sleep(25);
        }
      }
    },
    async close() {
      await worker?.close();
      await sync.stop();
      await queue.close();
    },
  };
}
