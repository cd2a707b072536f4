import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { type KubernetesPorts, kubernetesActions } from '../../src/actions/index.js';
import { createHttpApp, finishHttpApp, listen } from '../../src/adapters/http/server.js';
import { kubernetesFromConfig } from '../../src/adapters/kubernetes.js';
import { type Alerts, startAlerts } from '../../src/alerts/index.js';
import { loadCatalog } from '../../src/config/catalog.js';
import type { AuditEntry, AuditSink } from '../../src/core/audit.js';
import type { ChatPort } from '../../src/core/chat-port.js';
import { Metrics } from '../../src/core/metrics.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { Platform } from '../../src/core/request.js';
import { CommandHandler } from '../../src/handlers/command.js';
import { ConfirmationStore } from '../../src/handlers/confirmations.js';
import { InteractionHandler } from '../../src/handlers/interaction.js';
import { JobQueue } from '../../src/jobs/queue.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

export const catalog = loadCatalog(fileURLToPath(new URL('../../config/catalog.yaml', import.meta.url)));
export const TOKEN = 'alertmanager-test-token-0123456789';

class MemoryAudit implements AuditSink {
  readonly entries: AuditEntry[] = [];
  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }
}

export interface AlertsHarness {
  url: string;
  slack: RecordingChat;
  teams: RecordingChat;
  interactions: InteractionHandler;
  alerts: Alerts;
  redis: Redis;
  prefix: string;
  /** POSTs a body (object → JSON) to the webhook with the test's bearer token unless told otherwise. */
  send(body: unknown, options?: { token?: string | null; raw?: string }): Promise<Response>;
  /** Resolves once every queued notification is processed. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sandbox?: Sandbox;
  token?: string | null;
  fallbackSlack?: string[];
  /** Delay of every chat call, to let a burst land while a card is being posted. */
  chatDelayMs?: number;
}

/** The real express listener, BullMQ on real Redis, RecordingChat for Slack and Teams, a real CommandHandler. */
export async function startAlertsHarness(name: string, options: HarnessOptions = {}): Promise<AlertsHarness> {
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const redis = testRedis();
  const prefix = testPrefix(`alerts-${name}`);
  const delay = options.chatDelayMs ? () => new Promise<void>((resolve) => setTimeout(resolve, options.chatDelayMs)) : undefined;
  const slack = new RecordingChat('slack', delay);
  const teams = new RecordingChat('teams', delay);
  const chats = new Map<Platform, ChatPort>([
    ['slack', slack],
    ['teams', teams],
  ]);
  const ports: KubernetesPorts | Record<string, never> = options.sandbox
    ? { kubernetes: kubernetesFromConfig(options.sandbox.kubeConfig()), followPollMs: 50 }
    : {};
  const jobs = new JobQueue({ connection: redis, prefix, attempts: 1 });
  const handler = new CommandHandler({
    registry: new ActionRegistry(kubernetesActions()),
    catalog,
    audit: new MemoryAudit(),
    metrics: new Metrics({ defaultMetrics: false }),
    log,
    confirmations: new ConfirmationStore(redis, prefix),
    jobs,
    ports,
  });
  const interactions = new InteractionHandler(handler);
  const app = createHttpApp({ metrics: new Metrics({ defaultMetrics: false }), readiness: [], log });
  const token = options.token === undefined ? TOKEN : (options.token ?? undefined);
  const alerts = await startAlerts({
    app,
    redis,
    prefix,
    catalog,
    chats: (platform) => chats.get(platform),
    log,
    commandHandler: handler,
    interactions,
    ...(token ? { token } : {}),
    fallbackChannels: { slack: options.fallbackSlack ?? [] },
    runWorker: true,
  });
  finishHttpApp(app, log);
  const { server, url } = await listen(app, 0, '127.0.0.1');
  return {
    url,
    slack,
    teams,
    interactions,
    alerts,
    redis,
    prefix,
    send(body, sendOptions = {}) {
      const presented = sendOptions.token === undefined ? TOKEN : sendOptions.token;
      return fetch(`${url}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(presented ? { authorization: `Bearer ${presented}` } : {}) },
        body: sendOptions.raw ?? JSON.stringify(body),
      });
    },
    async settled() {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const counts = await alerts.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) return;
        if (Date.now() > deadline) throw new Error(`alerts queue not drained: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await alerts.close();
      await jobs.close();
      await closeServer(server);
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
