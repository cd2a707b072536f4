import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createHelpAction } from '../verbs/help/help.js';
import { StatuspageLinks } from '../verbs/statuspage/statuspage.js';
import { runConsole } from '../platforms/console/console-adapter.js';
import { ConsoleChat } from '../platforms/console/console-chat.js';
import { createHttpApp } from '../http/server.js';
import { mountWebhooks } from '../http/webhooks/index.js';
import { kubernetesFromConfig } from '../clients/kubernetes/client.js';
import type { PlatformConfigs } from '../platforms/index.js';
import type { Catalog } from '../config/catalog-schema.js';
import { durationMs } from '../core/duration.js';
import { RedisAuditSink } from '../core/audit.js';
import type { ChatPort } from '../core/chat-port.js';
import { Metrics } from '../core/metrics.js';
import type { Platform } from '../core/request.js';
import { registerSecretValues } from '../core/secret-values.js';
import { ActionRegistry } from '../core/registry.js';
import { ApprovalStore } from '../pipeline/approval-store.js';
import { AutomaticChanges, jobsIdle } from '../pipeline/automatic.js';
import { CommandHandler } from '../pipeline/command.js';
import { ConfirmationStore } from '../pipeline/confirmations.js';
import { InteractionHandler } from '../pipeline/interaction.js';
import { OutputPages } from '../pipeline/output-pages.js';
import { startIncidents } from '../incidents/index.js';
import { IncidentFiredAlerts } from '../verbs/incident-export/fired-alerts.js';
import { JobQueue } from '../jobs/queue.js';
import { type JobWorker, startWorker } from '../jobs/worker.js';
import { startVerification } from '../verification/index.js';
import type { AppEnv } from './app-env.js';
import { loadPlatforms, startChatAdapters, startRoleGroups } from './chat-adapters.js';
import { channelDirectories } from './channel-directories.js';
import { externalClients } from './clients.js';
import { type ClusterChoice, connectCluster } from './cluster.js';
import { MeteredAudit } from './metered-audit.js';
import { readinessChecks, webhookAuth } from './role-wiring.js';
import { serveRole } from './serve-role.js';
import { verbPorts } from './verb-ports.js';
import { consoleClusterLine, startupFields } from './startup-line.js';
import { verbs } from './verbs.js';

export interface BotSetup {
  env: AppEnv;
  /** The configured platforms' configs (src/platforms/index.ts); none configured is the console. */
  platformConfigs: PlatformConfigs;
  consoleMode: boolean;
  log: Logger;
  catalog: Catalog;
  cluster: ClusterChoice;
  /** Connected before the SDKs load, so an unreachable Redis is reported at once; closed here. */
  redis: Redis;
  /** Resolves on SIGTERM/SIGINT; listened for from the very start of the process. */
  signalled: Promise<void>;
}

/**
 * The composition root: build every piece, wire them, serve until signalled (or, in
 * the console, until end of input), then close everything in reverse order. Returns
 * the exit code.
 */
export async function runBot(setup: BotSetup): Promise<number> {
  const { env, platformConfigs, consoleMode, log, catalog, redis } = setup;
  const web = env.MAESTRO_ROLE !== 'worker';
  const runsWorkers = env.MAESTRO_ROLE !== 'web';
  const closers: (() => Promise<unknown>)[] = [async () => redis.quit()];

  try {
    const cluster = await connectCluster(setup.cluster, { catalog, tickMs: durationMs(env.MAESTRO_SANDBOX_TICK), log });
    const sandbox = cluster.sandbox;
    if (sandbox) closers.unshift(() => sandbox.close());
    if (consoleMode) process.stderr.write(consoleClusterLine(cluster));

    const queue = new JobQueue({ connection: redis, prefix: env.REDIS_PREFIX });
    closers.unshift(() => queue.close());
    const metrics = new Metrics();
    const auditTrail = new RedisAuditSink(redis, `${env.REDIS_PREFIX}:audit`, log);
    const audit = new MeteredAudit(auditTrail, metrics);
    metrics.gaugeQueued(async () => {
      const counts = await queue.queue.getJobCounts('waiting', 'delayed', 'prioritized');
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    });
    // Each adapter's chat counts its own API calls, where they reach the platform (maestro_bot_chat_calls_total).
    const chats = new Map<Platform, ChatPort>();
    const consoleChat = new ConsoleChat(process.stdout);
    if (consoleMode) chats.set('console', consoleChat);

    const clients = externalClients(env, catalog, sandbox, process.env);
    registerSecretValues(Object.values(clients.routingKeys));
    const incidents = startIncidents({
      connection: redis,
      prefix: env.REDIS_PREFIX,
      catalog,
      chats: (platform) => chats.get(platform),
      log,
      ...(clients.pagerduty ? { pagerduty: clients.pagerduty } : {}),
      routingKeys: clients.routingKeys,
      ...(catalog.defaults.alertChannels ? { fallbackChannels: catalog.defaults.alertChannels } : {}),
      registry: metrics.registry,
      runWorker: runsWorkers,
    });
    closers.unshift(() => incidents.close());

    const { metrics: healthMetrics, endpoints } = clients;
    const statuspageLinks = new StatuspageLinks(redis, env.REDIS_PREFIX);
    const kubernetes = kubernetesFromConfig(cluster.kubeConfig);
    const verification = await startVerification({
      connection: redis,
      prefix: env.REDIS_PREFIX,
      catalog,
      audit,
      chat: (platform) => chats.get(platform),
      log,
      ...(healthMetrics ? { metrics: healthMetrics } : {}),
      endpoints,
      statuspageLinks,
      ...(incidents.resolver ? { resolver: incidents.resolver } : {}),
      ...(env.MAESTRO_VERIFY_WINDOW ? { window: env.MAESTRO_VERIFY_WINDOW } : {}),
      runWorker: runsWorkers,
      kubernetes,
    });
    closers.unshift(() => verification.close());

    const ports = verbPorts({
      kubernetes,
      jobs: queue,
      sandboxed: Boolean(sandbox),
      clients,
      statuspageLinks,
      evidence: verification.evidence,
      auditTrail,
      pager: incidents.pager,
      firedAlerts: new IncidentFiredAlerts({ lookups: incidents.lookups, store: incidents.store }),
    });

    const registry = new ActionRegistry();
    registry.register(createHelpAction(registry));
    for (const verb of verbs) registry.register(verb);

    // Each configured platform's SDK, imported now and only if it is configured.
    const loadedPlatforms = await loadPlatforms(platformConfigs);
    // Roles granted by user group (Slack's) need the groups' members; only the web role decides policy.
    const roleGroups = web ? startRoleGroups(loadedPlatforms, { redis, prefix: env.REDIS_PREFIX, log, metrics, policy: catalog.policy }) : { stops: [] };
    for (const stop of roleGroups.stops) closers.unshift(async () => stop());

    const handler = new CommandHandler({
      registry,
      catalog,
      audit,
      metrics,
      log,
      confirmations: new ConfirmationStore(redis, env.REDIS_PREFIX),
      jobs: queue,
      ports,
      policy: {
        approvals: new ApprovalStore(redis, env.REDIS_PREFIX),
        ...(incidents.pager ? { pager: incidents.pager } : {}),
        ...(roleGroups.groupsOf ? { groupsOf: roleGroups.groupsOf } : {}),
        // Channel names → ids and team aliases, where a platform's requests carry ids only.
        ...channelDirectories(web ? loadedPlatforms : [], { redis, prefix: env.REDIS_PREFIX, log, metrics }),
      },
      cluster: cluster.name,
    });

    // Before any adapter takes requests: `ack`/`resolve` and the alert card buttons need the incidents.
    // What every button does is in pipeline/buttons.ts.
    const interactions = new InteractionHandler(handler, {
      incidents: { store: incidents.store, lookups: incidents.lookups, responder: incidents.responder, log },
      pages: new OutputPages(redis, env.REDIS_PREFIX),
    });
    // Alert paging and verification resolving run as maestro-bot through this handler.
    incidents.automate(new AutomaticChanges({ commands: handler, redis, prefix: env.REDIS_PREFIX, log }), () => jobsIdle(queue));

    let worker: JobWorker | undefined;
    const app = createHttpApp({
      metrics,
      log,
      readiness: readinessChecks(redis, runsWorkers, () => worker),
    });

    const { edges } = await startChatAdapters({
      web,
      platforms: loadedPlatforms,
      app,
      handler,
      interactions,
      audit,
      catalog,
      redis,
      prefix: env.REDIS_PREFIX,
      log,
      updateIntervalMs: durationMs(env.PROGRESS_INTERVAL),
      chats,
      metrics,
      onStop: (stop) => closers.unshift(stop),
    });

    // Only now are there chats to post alert cards in.
    incidents.start();

    if (runsWorkers) {
      worker = await startWorker({
        connection: redis,
        prefix: env.REDIS_PREFIX,
        registry,
        catalog,
        ports,
        chat: (platform) => chats.get(platform),
        audit,
        log,
        concurrency: env.WORKER_CONCURRENCY,
        progressIntervalMs: durationMs(env.PROGRESS_INTERVAL),
        onSucceeded: verification.onSucceeded,
        onFailed: verification.onFailed,
      });
      const running = worker;
      closers.unshift(() => running.close());
    }

    if (web) {
      mountWebhooks({ app, queue: incidents.queue, log, ...webhookAuth(env) });
      const stopSweeper = handler.startApprovalSweeper((platform) => chats.get(platform));
      closers.unshift(async () => stopSweeper());
    }

    const served = await serveRole({
      app,
      env,
      log,
      metrics,
      consoleMode,
      signalled: setup.signalled,
      onStop: (stop) => closers.unshift(stop),
      edges,
      console: {
        queue,
        verification,
        run: (session) =>
          runConsole({ handler, chat: consoleChat, input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY), log, ...session }),
      },
    });
    log.info(startupFields({ cluster, env, url: served.url, platforms: [...chats.keys()], clients }), 'maestro-bot started');
    return await served.done;
  } finally {
    for (const close of closers) {
      await close().catch((error: unknown) => log.warn({ err: error }, 'shutdown step failed'));
    }
  }
}
