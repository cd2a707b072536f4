import { parseArgs } from 'node:util';
import { approve, reject } from './actions/approve.js';
import { audit as auditVerb } from './actions/audit.js';
import { createHelpAction } from './actions/help.js';
import { incidentActions, kubernetesActions } from './actions/index.js';
import { ack, resolve } from './actions/incident-response.js';
import { cancel, jobs } from './actions/jobs.js';
import { page } from './actions/page.js';
import { StatuspageLinks } from './actions/statuspage.js';
import { runConsole } from './adapters/console/console-adapter.js';
import { ConsoleChat } from './adapters/console/console-chat.js';
import { listenBehindEdge } from './adapters/http/edge.js';
import { createHttpApp, finishHttpApp, listen } from './adapters/http/server.js';
import { kubernetesFromConfig } from './adapters/kubernetes.js';
import { createSlackUserGroups, slackConfigFrom } from './adapters/slack/index.js';
import { teamsConfigFrom } from './adapters/teams/index.js';
import { AppEnvSchema } from './app/app-env.js';
import { startChatAdapters } from './app/chat-adapters.js';
import { externalClients } from './app/clients.js';
import { connectCluster, startupFailure, untilSignalled, waitForJob } from './app/process.js';
import { loadCatalog } from './config/catalog.js';
import { durationMs, loadEnv } from './config/env.js';
import { RedisAuditSink } from './core/audit.js';
import type { ChatPort } from './core/chat-port.js';
import { createLogger } from './core/logger.js';
import { registerSecretValues, secretEnvValues } from './core/secret-values.js';
import { Metrics } from './core/metrics.js';
import { connectRedis } from './core/redis.js';
import { ActionRegistry } from './core/registry.js';
import type { Platform } from './core/request.js';
import { ApprovalStore } from './handlers/approval-store.js';
import { CommandHandler } from './handlers/command.js';
import { ConfirmationStore } from './handlers/confirmations.js';
import { InteractionHandler } from './handlers/interaction.js';
import { startIncidents } from './incidents/index.js';
import { JobQueue } from './jobs/queue.js';
import { type JobWorker, startWorker } from './jobs/worker.js';
import { startVerification } from './verification/index.js';

/**
 * The composition root: read the configuration once, build every piece, wire them,
 * and own the process (the only place that exits).
 */


async function main(): Promise<number> {
  const { values: cli } = parseArgs({
    options: { role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (cli.help) {
    process.stdout.write('usage: npm start [-- --role all|web|worker]   (configuration: see .env.example)\n');
    return 0;
  }
  const env = loadEnv({ ...process.env, ...(cli.role ? { MAESTRO_ROLE: cli.role } : {}) }, AppEnvSchema);
  // Before anything can log or reply: the bot's own credentials are hidden by value from here on.
  registerSecretValues(secretEnvValues(env));
  const slackConfig = slackConfigFrom(env);
  const teamsConfig = teamsConfigFrom(env);
  const web = env.MAESTRO_ROLE !== 'worker';
  const runsWorkers = env.MAESTRO_ROLE !== 'web';
  const consoleMode = web && !slackConfig && !teamsConfig;
  // In the console, info lines on stderr would drown the conversation on stdout.
  const log = createLogger(env.LOG_LEVEL ?? (consoleMode ? 'warn' : 'info'));

  const catalog = loadCatalog(env.MAESTRO_CATALOG);
  const redis = await connectRedis(env.REDIS_URL);
  const closers: (() => Promise<unknown>)[] = [async () => redis.quit()];

  // Listening for the stop signals from the start: a SIGTERM that arrives while the bot
  // is still starting then shuts it down cleanly once it has started, instead of killing it.
  const signalled = consoleMode ? undefined : untilSignalled();
  try {
    const cluster = await connectCluster(env.MAESTRO_SANDBOX, catalog, durationMs(env.MAESTRO_SANDBOX_TICK), log);
    const sandbox = cluster.sandbox;
    if (sandbox) {
      closers.unshift(() => sandbox.close());
      process.stderr.write(`maestro-bot: no kubeconfig found, using the built-in sandbox cluster at ${sandbox.url}\n`);
    }

    const queue = new JobQueue({ connection: redis, prefix: env.REDIS_PREFIX });
    closers.unshift(() => queue.close());
    const metrics = new Metrics();
    const audit = new RedisAuditSink(redis, `${env.REDIS_PREFIX}:audit`, log);
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
      ...(incidents.pager ? { resolver: incidents.pager } : {}),
      ...(env.MAESTRO_VERIFY_WINDOW ? { window: env.MAESTRO_VERIFY_WINDOW } : {}),
      runWorker: runsWorkers,
      kubernetes,
    });
    closers.unshift(() => verification.close());

    const ports = {
      kubernetes,
      jobs: queue,
      // The sandbox moves fast; a real cluster is polled like kubectl rollout status would.
      followPollMs: sandbox ? 250 : 2000,
      ...(healthMetrics ? { metrics: healthMetrics } : {}),
      endpoints,
      statuspageLinks,
      evidence: verification.evidence,
      auditTrail: audit,
      ...(incidents.pager ? { pager: incidents.pager } : {}),
      ...(clients.statuspage ? { statuspage: clients.statuspage } : {}),
      ...(clients.github ? { github: clients.github } : {}),
    };

    const registry = new ActionRegistry();
    registry.register(createHelpAction(registry));
    for (const action of [...kubernetesActions(), ...incidentActions(), page, ack, resolve, jobs, cancel, approve, reject, auditVerb]) {
      registry.register(action);
    }

    // Roles granted by Slack user group need the groups' members; only the web role decides policy.
    const slackGroups = slackConfig && web ? createSlackUserGroups({ config: slackConfig, redis, prefix: env.REDIS_PREFIX, policy: catalog.policy, log }) : undefined;
    const stopGroupRefresh = slackGroups?.start();
    if (stopGroupRefresh) closers.unshift(async () => stopGroupRefresh());

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
        ...(slackGroups ? { groupsOf: (actor) => slackGroups.groupsOf(actor) } : {}),
      },
    });

    const interactions = new InteractionHandler(handler);
    // Before any adapter takes requests: `ack`/`resolve` and the alert card buttons need it.
    incidents.registerRoutes(interactions, handler);
    // Follow-up buttons (after a verification regression, say) carry a command; it runs
    // as if the presser had typed it, through the same parse, policy and confirmation.
    interactions.route('command.run', (request, chat) =>
      handler.handle(
        {
          kind: 'command',
          id: request.id,
          actor: request.actor,
          conversation: request.conversation,
          ...(request.threadId ? { threadId: request.threadId } : {}),
          text: request.value,
        },
        chat,
      ),
    );

    let worker: JobWorker | undefined;
    const app = createHttpApp({
      metrics,
      log,
      readiness: [
        { name: 'redis', check: async () => void (await redis.ping()) },
        ...(runsWorkers
          ? [
              {
                name: 'workers',
                check: async () => {
                  if (!worker?.worker.isRunning()) throw new Error('job workers are not running');
                },
              },
            ]
          : []),
      ],
    });

    const { slackEdge } = await startChatAdapters({
      web,
      ...(slackConfig ? { slack: slackConfig } : {}),
      ...(teamsConfig ? { teams: teamsConfig } : {}),
      app,
      handler,
      interactions,
      redis,
      prefix: env.REDIS_PREFIX,
      log,
      updateIntervalMs: durationMs(env.PROGRESS_INTERVAL),
      chats,
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
      incidents.mount(
        app,
        {
          ...(env.ALERTMANAGER_TOKEN ? { token: env.ALERTMANAGER_TOKEN } : {}),
          ...(env.ALERTMANAGER_BASIC_USER && env.ALERTMANAGER_BASIC_PASSWORD
            ? { basic: { user: env.ALERTMANAGER_BASIC_USER, password: env.ALERTMANAGER_BASIC_PASSWORD } }
            : {}),
        },
        (env.PAGERDUTY_WEBHOOK_SECRET ?? '').split(',').filter(Boolean),
      );
      const stopSweeper = handler.startApprovalSweeper((platform) => chats.get(platform));
      closers.unshift(async () => stopSweeper());
    }

    finishHttpApp(app, log);
    // The bot cannot be reached without its edge: shut down, and exit non-zero so that it is restarted.
    let edgeFailed = false;
    const stopOnEdgeFailure = () => {
      edgeFailed = true;
      process.kill(process.pid, 'SIGTERM');
    };
    // With Slack over HTTP, the listener runs in a thread of its own, so Slack's acks never wait on this loop.
    let url: string;
    const limits = {
      headersTimeoutMs: durationMs(env.HTTP_HEADERS_TIMEOUT),
      requestTimeoutMs: durationMs(env.HTTP_REQUEST_TIMEOUT),
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    };
    if (slackEdge) {
      const edge = await listenBehindEdge({ app, port: env.PORT, host: env.HOST, log, metrics, slack: slackEdge, limits, onFailure: stopOnEdgeFailure });
      closers.unshift(() => edge.close());
      url = edge.url;
    } else {
      const listener = await listen(app, env.PORT, env.HOST, limits);
      closers.unshift(() => new Promise((resolve) => listener.server.close(resolve)));
      url = listener.url;
    }
    log.info({ url, role: env.MAESTRO_ROLE, slack: Boolean(slackConfig), teams: Boolean(teamsConfig), console: consoleMode }, 'maestro-bot started');

    if (consoleMode) {
      await runConsole({
        handler,
        chat: consoleChat,
        input: process.stdin,
        output: process.stdout,
        interactive: Boolean(process.stdin.isTTY),
        waitForJob: (jobNumber) => waitForJob(queue, jobNumber),
        // Verification is in-flight work too: at end of input the console waits for its verdict.
        drain: () => verification.settled(),
        log,
      });
    } else {
      await signalled;
    }
    return edgeFailed ? 1 : 0;
  } finally {
    for (const close of closers) {
      await close().catch((error: unknown) => log.warn({ err: error }, 'shutdown step failed'));
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(startupFailure(error)),
);
