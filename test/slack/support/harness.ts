import type { types } from '@slack/bolt';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { loadCatalog } from '../../../src/config/catalog.js';
import { createHttpApp, finishHttpApp, listen } from '../../../src/http/server.js';
import { createSlackAdapter, type SlackAdapter } from '../../../src/platforms/slack/index.js';
import { Metrics } from '../../../src/core/metrics.js';
import { CommandHandler } from '../../../src/pipeline/command.js';
import { ConfirmationStore } from '../../../src/pipeline/confirmations.js';
import { type ButtonRoute, InteractionHandler } from '../../../src/pipeline/interaction.js';
import { JobQueue, type JobWorker, startWorker } from '../../../src/jobs/index.js';
import { type SlackTestPorts, slackTestRegistry } from '../../fixtures/slack-actions.js';
import { FakeSlackApi } from '../../fakes/slack-api.js';
import { FakeSocketMode } from '../../fakes/slack-socket-mode.js';
import { listenForTests } from '../../support/edge.js';
import { cleanPrefix, testPrefix, testRedis } from '../../support/redis.js';
import { SIGNING_SECRET } from './slack-requests.js';
import { MemoryAudit } from '../../fixtures/memory-audit.js';

export const catalog = loadCatalog(fileURLToPath(new URL('../../../config/catalog.yaml', import.meta.url)));

export { MemoryAudit };

export interface SlackHarness {
  url: string;
  fake: FakeSlackApi;
  /** With `appToken`: the Socket Mode endpoint the bot is connected to. */
  socket?: FakeSocketMode;
  redis: Redis;
  audit: MemoryAudit;
  ports: SlackTestPorts;
  slack: SlackAdapter;
  close(): Promise<void>;
}

/**
 * The bot as main.ts wires it, minus Kubernetes: the real express listener, Bolt,
 * CommandHandler, Redis confirmations and the BullMQ queue + worker, talking to a
 * fake Slack Web API.
 */
export async function startSlackHarness(
  name: string,
  /** `slackApiUrl` points the bot at another Web API than the harness's fake (the bench's, off the event loop). */
  options: {
    updateIntervalMs?: number;
    slackApiUrl?: string;
    routes?: Record<string, ButtonRoute>;
    workConcurrency?: number;
    capacity?: number;
    /** The bot's logger, for tests that assert on what it logs. */
    log?: Logger;
    drainTimeoutMs?: number;
    /**
     * An app-level token (`xapp-…`): Socket Mode, as SLACK_APP_TOKEN makes it. The bot connects to a
     * fake Socket Mode endpoint (`socket`) that the fake Web API hands out, and, as in main.ts, its
     * listener serves no /slack/events.
     */
    appToken?: string;
    /** Where the adapter's Web API calls, response_url posts and retries are counted. */
    metrics?: Metrics;
  } = {},
): Promise<SlackHarness> {
  const log = options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const redis = testRedis();
  const prefix = testPrefix(`slack-${name}`);
  const fake = await new FakeSlackApi().start();
  const socket = options.appToken ? await new FakeSocketMode().start() : undefined;
  if (socket) fake.serveSocketMode(socket);
  const audit = new MemoryAudit();
  const ports: SlackTestPorts = { executions: [], steps: 3, stepMs: 30 };
  const registry = slackTestRegistry();
  const jobs = new JobQueue({ connection: redis, prefix, attempts: 1 });
  const app = createHttpApp({ metrics: new Metrics({ defaultMetrics: false }), readiness: [], log });
  const handler = new CommandHandler({
    registry,
    catalog,
    audit,
    metrics: new Metrics({ defaultMetrics: false }),
    log,
    confirmations: new ConfirmationStore(redis, prefix),
    jobs,
    ports,
  });
  const interactions = new InteractionHandler(handler);
  for (const [actionId, route] of Object.entries(options.routes ?? {})) interactions.route(actionId, route);
  const slack = await createSlackAdapter({
    handler,
    interactions,
    redis,
    prefix,
    log,
    config: {
      botToken: 'xoxb-test-token-1234',
      signingSecret: SIGNING_SECRET,
      apiUrl: options.slackApiUrl ?? fake.url,
      responseUrlBase: fake.hooksBase,
      ...(options.appToken ? { appToken: options.appToken } : {}),
    },
    retryConfig: { retries: 3, minTimeout: 20, maxTimeout: 100, factor: 2 },
    updateIntervalMs: options.updateIntervalMs ?? 50,
    ...(options.workConcurrency !== undefined ? { workConcurrency: options.workConcurrency } : {}),
    ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
    ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  finishHttpApp(app, log);
  // Socket Mode needs no HTTP edge: main.ts then starts the plain listener for the other routes.
  const listener = socket ? await listen(app, 0, '127.0.0.1') : undefined;
  const edge = listener ? undefined : await listenForTests(app, log, slack);
  const url = listener?.url ?? edge!.url;
  let worker: JobWorker | undefined = await startWorker({
    connection: redis,
    prefix,
    registry,
    catalog,
    ports,
    chat: (platform) => (platform === 'slack' ? slack.chat : undefined),
    audit,
    log,
    progressIntervalMs: 50,
  });
  return {
    url,
    fake,
    ...(socket ? { socket } : {}),
    redis,
    audit,
    ports,
    slack,
    async close() {
      await worker?.close();
      worker = undefined;
      await slack.stop();
      await edge?.close();
      listener?.server.closeAllConnections();
      if (listener) await new Promise((resolve) => listener.server.close(resolve));
      await jobs.close();
      await socket?.stop();
      await fake.stop();
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/**
 * Sends a command that plans a change (`send`, over HTTP or the socket), waits for the
 * plan Slack is asked to post, and returns its ts and the confirmation id its Confirm carries.
 */
export async function postedPlan(fake: FakeSlackApi, send: () => unknown): Promise<{ planTs: string; confirmId: string }> {
  const before = fake.succeeded('chat.postMessage').length;
  await send();
  await fake.waitFor(() => fake.succeeded('chat.postMessage').length > before);
  const post = fake.succeeded('chat.postMessage').at(-1)!;
  const actions = (post.body.blocks as types.KnownBlock[]).find((b): b is types.ActionsBlock => b.type === 'actions')!;
  const confirm = actions.elements.find((e): e is types.Button => e.type === 'button' && e.action_id === 'plan.confirm')!;
  return { planTs: String(post.response!.ts), confirmId: confirm.value! };
}
