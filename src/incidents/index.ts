import type { Worker } from 'bullmq';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PagerDutyClient } from '../clients/pagerduty.js';
import { type AlertmanagerAuth, mountWebhooks } from '../http/webhooks/index.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { MessageRef } from '../core/chat-port.js';
import { PagerDutySync } from '../pipeline/pagerduty-sync.js';
import { type FallbackChannels, UnroutedAlerts } from './alert-channels.js';
import { AlertQueue, type AlertJob, startAlertWorker } from './alert-queue.js';
import { CardSync, type ChatLookup } from './card-sync.js';
import { ChannelLimiter } from './channel-limiter.js';
import { PagerDutyEchoes } from './echoes.js';
import { FlushSchedule } from './flush-schedule.js';
import { IncidentPager } from './incident-pager.js';
import { IncidentStore } from './incident-store.js';
import { IncidentResponder } from './responder.js';

export { AlertQueue } from './alert-queue.js';
export { IncidentPager } from './incident-pager.js';
export { IncidentStore } from './incident-store.js';
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
  queue: AlertQueue;
  sync: CardSync;
  responder: IncidentResponder;
  /** Present when PagerDuty is configured: the Pager/IncidentResolver for break-glass and verification. */
  pager?: IncidentPager;
  /**
   * Starts taking alert jobs (worker role). Call once the chat adapters are connected:
   * an alert handled before then would find no channel to post its card in.
   */
  start(): void;
  /** Mounts /webhooks/alertmanager and /webhooks/pagerduty (before finishHttpApp). */
  mount(app: Express, auth: AlertmanagerAuth, pagerdutySecrets: string[]): void;
  /** Resolves when every queued notification is processed and every card is flushed. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Alerts and incidents (issue #8), wired from its parts; main.ts calls this once. */
export function startIncidents(options: IncidentsOptions): Incidents {
  const { connection, prefix, catalog, log } = options;
  const store = new IncidentStore(connection, prefix, catalog);
  const queue = new AlertQueue(connection, prefix, log);
  const flushes = new FlushSchedule(connection, prefix, async (id) => (await store.get(id))?.rev);
  const sync = new CardSync({
    store,
    flushes,
    catalog,
    chats: options.chats,
    limiter: new ChannelLimiter(connection, prefix, options.channelIntervalMs ?? 1000),
    log: log.child({ component: 'incident-cards' }),
    ...(options.pagerduty ? { pagerduty: options.pagerduty } : {}),
    routingKeys: options.routingKeys ?? {},
    ...(options.fallbackChannels ? { fallbackChannels: options.fallbackChannels } : {}),
    ...(options.threadLink ? { threadLink: options.threadLink } : {}),
    ...(options.cardIntervalMs !== undefined ? { intervalMs: options.cardIntervalMs } : {}),
    ...(options.flushConcurrency ? { concurrency: options.flushConcurrency } : {}),
  });
  const echoes = new PagerDutyEchoes(connection, prefix);
  const changed = (id: string) => sync.changed(id);
  const responder = new IncidentResponder({ store, echoes, changed, log, ...(options.pagerduty ? { pagerduty: options.pagerduty } : {}) });
  const pagerSync = new PagerDutySync({ store, echoes, changed, log });
  const pager = options.pagerduty
    ? new IncidentPager({ catalog, pagerduty: options.pagerduty, routingKeys: options.routingKeys ?? {}, store, responder, log })
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
    queue,
    sync,
    responder,
    ...(pager ? { pager } : {}),
    start() {
      if (!worker) return;
      worker.run().catch((error: unknown) => log.error({ err: error }, 'alert worker stopped'));
      sync.start();
    },
    mount(app, auth, pagerdutySecrets) {
      mountWebhooks({ app, queue, log, alertmanager: auth, pagerdutySecrets });
    },
    async settled(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) break;
        if (Date.now() > deadline) throw new Error(`alert jobs not settled within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await sync.settled(Math.max(1, deadline - Date.now()));
    },
    async close() {
      await worker?.close();
      await sync.stop();
      await queue.close();
    },
  };
}
