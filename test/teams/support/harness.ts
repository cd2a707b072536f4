import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { createHttpApp, finishHttpApp } from '../../../src/http/server.js';
import { createTeamsAdapter, createTeamsChat, type TeamsAdapter, type TeamsChat } from '../../../src/platforms/teams/index.js';
import type { Catalog } from '../../../src/config/catalog-schema.js';
import { loadCatalog } from '../../../src/config/catalog.js';
import { Metrics } from '../../../src/core/metrics.js';
import type { ActionRegistry } from '../../../src/core/registry.js';
import { CommandHandler } from '../../../src/pipeline/command.js';
import { ConfirmationStore } from '../../../src/pipeline/confirmations.js';
import { InteractionHandler } from '../../../src/pipeline/interaction.js';
import { OutputPages } from '../../../src/pipeline/output-pages.js';
import { JobQueue, type JobWorker, startWorker } from '../../../src/jobs/index.js';
import { FakeBotConnector } from '../../fakes/bot-connector.js';
import { slackTestRegistry } from '../../fixtures/slack-actions.js';
import { cleanPrefix, testPrefix, testRedis } from '../../support/redis.js';
import { APP_ID, postActivity, TENANT_ID } from './activities.js';
import { teamsTestConfig } from './credentials.js';
import { MemoryAudit } from '../../fixtures/memory-audit.js';
import { listenForTests } from '../../support/edge.js';

export const catalog = loadCatalog(fileURLToPath(new URL('../../../config/catalog.yaml', import.meta.url)));

export { MemoryAudit };

export interface TeamsHarness {
  url: string;
  fake: FakeBotConnector;
  redis: Redis;
  prefix: string;
  audit: MemoryAudit;
  teams: TeamsAdapter;
  /** POSTs an activity with a valid channel token for it. */
  send(activity: { serviceUrl: string }): ReturnType<typeof postActivity>;
  /** A TeamsChat as a worker-only process builds it: the same Redis, no HTTP route. */
  workerChat(): TeamsChat;
  close(): Promise<void>;
}

export interface HarnessOptions<P extends object> {
  registry?: ActionRegistry;
  ports: P;
  catalog?: Catalog;
  updateIntervalMs?: number;
  /** Where the adapter's and the worker chat's connector calls are counted. */
  metrics?: Metrics;
  /** The tenants the bot serves (default: the fixtures' tenant). */
  tenants?: string[];
  /** The bot's logger (default: silent unless TEST_LOG_LEVEL). */
  log?: Logger;
}

/**
 * The bot as main.ts wires it: the real express listener (behind the HTTP edge), the Agents SDK's CloudAdapter
 * with the SDK's JWT validation (the fake Bot Framework keys, served at login.botframework.com), CommandHandler,
 * InteractionHandler, Redis confirmations and the BullMQ queue + worker, talking to
 * a fake Bot Connector.
 */
export async function startTeamsHarness<P extends object>(name: string, options: HarnessOptions<P>): Promise<TeamsHarness> {
  const log = options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const redis = testRedis();
  const prefix = testPrefix(`teams-${name}`);
  const fake = await new FakeBotConnector().start();
  const audit = new MemoryAudit();
  const registry = options.registry ?? slackTestRegistry();
  const usedCatalog = options.catalog ?? catalog;
  const jobs = new JobQueue({ connection: redis, prefix, attempts: 1 });
  const app = createHttpApp({ metrics: new Metrics({ defaultMetrics: false }), readiness: [], log });
  const handler = new CommandHandler({
    registry,
    catalog: usedCatalog,
    audit,
    metrics: new Metrics({ defaultMetrics: false }),
    log,
    confirmations: new ConfirmationStore(redis, prefix),
    jobs,
    ports: options.ports,
  });
  const common = {
    redis,
    prefix,
    log,
    config: teamsTestConfig(),
    updateIntervalMs: options.updateIntervalMs ?? 50,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  const teams = await createTeamsAdapter({ ...common, app, handler, interactions: new InteractionHandler(handler, { pages: new OutputPages(redis, prefix) }), audit, tenants: options.tenants ?? [TENANT_ID] });
  finishHttpApp(app, log);
  // Behind the HTTP edge, as when Slack shares the listener: every Teams request crosses its proxy.
  const edge = await listenForTests(app, log);
  const { url } = edge;
  let worker: JobWorker | undefined = await startWorker({
    connection: redis,
    prefix,
    registry,
    catalog: usedCatalog,
    ports: options.ports,
    chat: (platform) => (platform === 'teams' ? teams.chat : undefined),
    audit,
    log,
    progressIntervalMs: 50,
  });
  return {
    url,
    fake,
    redis,
    prefix,
    audit,
    teams,
    send: (activity) => postActivity(url, activity, fake.token({ audience: APP_ID, serviceUrl: activity.serviceUrl })),
    workerChat: () => createTeamsChat(common),
    async close() {
      await worker?.close();
      worker = undefined;
      await teams.stop();
      await edge.close();
      await jobs.close();
      await fake.stop();
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
