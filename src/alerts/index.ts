import { Queue, Worker } from 'bullmq';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Catalog } from '../config/catalog-schema.js';
import type { CommandHandler } from '../handlers/command.js';
import type { InteractionHandler } from '../handlers/interaction.js';
import { registerAlertRoutes } from './buttons.js';
import { IncidentStore } from './incidents.js';
import { type ChatLookup, type ChatPlatform, processNotification } from './processor.js';
import { ALERTS_QUEUE, type AlertJobData, mountAlertmanagerWebhook } from './webhook.js';

export { IncidentStore } from './incidents.js';
export { ALERTS_QUEUE, alertJobId, mountAlertmanagerWebhook } from './webhook.js';
export { registerAlertRoutes } from './buttons.js';
export { processNotification } from './processor.js';

/** Extends the app's env schema (`EnvSchema.extend(AlertsEnvShape)`). */
export const AlertsEnvShape = {
  /** Bearer token Alertmanager sends (http_config.authorization); without it the webhook answers 503. */
  ALERTMANAGER_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Channels for alerts of no catalog service; comma-separated. */
  ALERTS_FALLBACK_SLACK_CHANNEL: z.string().min(1).optional(),
  ALERTS_FALLBACK_TEAMS_CHANNEL: z.string().min(1).optional(),
};

type AlertsEnv = { [K in keyof typeof AlertsEnvShape]?: string | undefined };

export function alertsConfigFrom(env: AlertsEnv): { token?: string; fallbackChannels: Partial<Record<ChatPlatform, string[]>> } {
  const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    ...(env.ALERTMANAGER_TOKEN ? { token: env.ALERTMANAGER_TOKEN } : {}),
    fallbackChannels: { slack: list(env.ALERTS_FALLBACK_SLACK_CHANNEL), teams: list(env.ALERTS_FALLBACK_TEAMS_CHANNEL) },
  };
}

export interface AlertsDeps {
  /** The web role's express app (mount before finishHttpApp); absent in a worker-only process. */
  app?: Express;
  /** Needs `maxRetriesPerRequest: null` when runWorker is set, as every BullMQ worker's. */
  redis: Redis;
  prefix: string;
  catalog: Catalog;
  chats: ChatLookup;
  log: Logger;
  commandHandler?: Pick<CommandHandler, 'handle'>;
  interactions?: Pick<InteractionHandler, 'route'>;
  token?: string;
  fallbackChannels?: Partial<Record<ChatPlatform, string[]>>;
  runWorker: boolean;
  /** Above 1 so a burst for one group is merged while its card is being edited (one edit, not many). */
  concurrency?: number;
}

export interface Alerts {
  readonly queue: Queue<AlertJobData>;
  readonly store: IncidentStore;
  readonly worker?: Worker<AlertJobData>;
  close(): Promise<void>;
}

/** The Alertmanager half of issue #8: webhook intake, the `alerts` worker and the alert buttons. */
export async function startAlerts(deps: AlertsDeps): Promise<Alerts> {
  const log = deps.log.child({ component: 'alerts' });
  const store = new IncidentStore(deps.redis, deps.prefix);
  const queue = new Queue<AlertJobData>(ALERTS_QUEUE, { connection: deps.redis, prefix: deps.prefix });
  queue.on('error', (error) => log.warn({ err: error }, 'alerts queue: Redis error'));
  if (deps.app) mountAlertmanagerWebhook(deps.app, { queue, log, ...(deps.token ? { token: deps.token } : {}) });
  if (deps.interactions && deps.commandHandler) {
    registerAlertRoutes(deps.interactions, { store, catalog: deps.catalog, commandHandler: deps.commandHandler, log });
  }
  let worker: Worker<AlertJobData> | undefined;
  if (deps.runWorker) {
    const processorDeps = {
      store,
      catalog: deps.catalog,
      chats: deps.chats,
      log,
      ...(deps.fallbackChannels ? { fallbackChannels: deps.fallbackChannels } : {}),
    };
    worker = new Worker<AlertJobData>(ALERTS_QUEUE, (job) => processNotification(processorDeps, job.data.payload), {
      connection: deps.redis,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 8,
    });
    worker.on('error', (error) => log.error({ err: error }, 'alerts worker error'));
    worker.on('failed', (job, error) => log.warn({ err: error, jobId: job?.id, attempt: job?.attemptsMade }, 'alert notification failed'));
    await worker.waitUntilReady();
  }
  return {
    queue,
    store,
    ...(worker ? { worker } : {}),
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
