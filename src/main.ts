import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { createHelpAction } from './actions/help.js';
import { incidentActions, kubernetesActions } from './actions/index.js';
import { StatuspageLinks } from './actions/statuspage.js';
import { approve, reject } from './actions/approve.js';
import { audit as auditVerb } from './actions/audit.js';
import { cancel, jobs } from './actions/jobs.js';
import { ConsoleChat } from './adapters/console/console-chat.js';
import { runConsole } from './adapters/console/console-adapter.js';
import { createHttpApp, finishHttpApp, listen } from './adapters/http/server.js';
import { GitHubClient, GitHubEnvShape } from './adapters/github.js';
import { kubernetesFromConfig, loadKubeConfig } from './adapters/kubernetes.js';
import { PrometheusClient, PrometheusEnvShape } from './adapters/prometheus.js';
import { StatuspageClient, StatuspageEnvShape } from './adapters/statuspage.js';
import { createTeamsAdapter, createTeamsChat, TeamsEnvShape, teamsConfigFrom } from './adapters/teams/index.js';
import { createSlackAdapter, createSlackChat, type SlackAdapter, SlackEnvShape, slackConfigFrom } from './adapters/slack/index.js';
import type { Catalog } from './config/catalog-schema.js';
import { CatalogError, loadCatalog } from './config/catalog.js';
import { ConfigError, durationMs, EnvSchema, loadEnv } from './config/env.js';
import { RedisAuditSink } from './core/audit.js';
import type { ChatPort } from './core/chat-port.js';
import { createLogger } from './core/logger.js';
import { Metrics } from './core/metrics.js';
import { connectRedis, RedisUnavailableError } from './core/redis.js';
import { ActionRegistry } from './core/registry.js';
import type { Platform } from './core/request.js';
import { CommandHandler } from './handlers/command.js';
import { ApprovalStore } from './handlers/approval-store.js';
import { ConfirmationStore } from './handlers/confirmations.js';
import { InteractionHandler } from './handlers/interaction.js';
import { isFinished } from './jobs/job-summary.js';
import { JobQueue } from './jobs/queue.js';
import { type JobWorker, startWorker } from './jobs/worker.js';
import { type Sandbox, startSandbox } from './sandbox/index.js';
import { catalogEndpoints, sandboxEndpoints, startVerification, VerificationEnvShape } from './verification/index.js';

/**
 * The composition root: read the configuration once, build every piece, wire them,
 * and own the process (the only place that exits).
 */

const AppEnvSchema = EnvSchema.extend(SlackEnvShape)
  .extend(TeamsEnvShape)
  .extend(PrometheusEnvShape)
  .extend(StatuspageEnvShape)
  .extend(GitHubEnvShape)
  .extend(VerificationEnvShape);

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

  try {
    const cluster = await connectCluster(env.MAESTRO_SANDBOX, catalog, durationMs(env.MAESTRO_SANDBOX_TICK), log);
    if (cluster.sandbox) {
      const sandbox = cluster.sandbox;
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

    const sandbox = cluster.sandbox;
    const prometheusUrl = env.PROMETHEUS_URL ?? sandbox?.prometheusUrl;
    const healthMetrics = prometheusUrl ? new PrometheusClient({ baseUrl: prometheusUrl }) : undefined;
    const endpoints = sandbox ? sandboxEndpoints(sandbox) : catalogEndpoints;
    const statuspageLinks = new StatuspageLinks(redis, env.REDIS_PREFIX);
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
      ...(env.MAESTRO_VERIFY_WINDOW ? { window: env.MAESTRO_VERIFY_WINDOW } : {}),
      runWorker: runsWorkers,
    });
    closers.unshift(() => verification.close());

    const ports = {
      kubernetes: kubernetesFromConfig(cluster.kubeConfig),
      jobs: queue,
      // The sandbox moves fast; a real cluster is polled like kubectl rollout status would.
      followPollMs: sandbox ? 250 : 2000,
      ...(healthMetrics ? { metrics: healthMetrics } : {}),
      endpoints,
      statuspageLinks,
      evidence: verification.evidence,
      auditTrail: audit,
      ...(env.STATUSPAGE_PAGE_ID && env.STATUSPAGE_API_KEY
        ? {
            statuspage: new StatuspageClient({
              pageId: env.STATUSPAGE_PAGE_ID,
              apiKey: env.STATUSPAGE_API_KEY,
              baseUrl: env.STATUSPAGE_API_URL,
            }),
          }
        : {}),
      ...(env.GITHUB_TOKEN ? { github: new GitHubClient({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL }) } : {}),
    };

    const registry = new ActionRegistry();
    registry.register(createHelpAction(registry));
    for (const action of [...kubernetesActions(), ...incidentActions(), jobs, cancel, approve, reject, auditVerb]) {
      registry.register(action);
    }

    const handler = new CommandHandler({
      registry,
      catalog,
      audit,
      metrics,
      log,
      confirmations: new ConfirmationStore(redis, env.REDIS_PREFIX),
      jobs: queue,
      ports,
      policy: { approvals: new ApprovalStore(redis, env.REDIS_PREFIX) },
    });

    const interactions = new InteractionHandler(handler);
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

    let slack: SlackAdapter | undefined;
    if (slackConfig && web) {
      slack = await createSlackAdapter({ app, handler, interactions, redis, prefix: env.REDIS_PREFIX, log, config: slackConfig });
      chats.set('slack', slack.chat);
      const adapter = slack;
      closers.unshift(() => adapter.stop());
    } else if (slackConfig) {
      // A worker only edits and replies: no receiver, and above all no Socket Mode
      // connection that would take commands meant for the web role.
      chats.set('slack', createSlackChat({ config: slackConfig, log }));
    }

    if (teamsConfig && web) {
      const teams = createTeamsAdapter({
        app,
        handler,
        interactions,
        redis,
        prefix: env.REDIS_PREFIX,
        log,
        config: teamsConfig,
        updateIntervalMs: durationMs(env.PROGRESS_INTERVAL),
      });
      chats.set('teams', teams.chat);
      closers.unshift(() => teams.stop());
    } else if (teamsConfig) {
      chats.set('teams', createTeamsChat({ redis, prefix: env.REDIS_PREFIX, log, config: teamsConfig }));
    }

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
      });
      const running = worker;
      closers.unshift(() => running.close());
    }

    if (web) {
      const stopSweeper = handler.startApprovalSweeper((platform) => chats.get(platform));
      closers.unshift(async () => stopSweeper());
    }

    finishHttpApp(app, log);
    const { server, url } = await listen(app, env.PORT, env.HOST);
    closers.unshift(() => new Promise((resolve) => server.close(resolve)));
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
      await untilSignalled();
    }
    return 0;
  } finally {
    for (const close of closers) {
      await close().catch((error: unknown) => log.warn({ err: error }, 'shutdown step failed'));
    }
  }
}

async function connectCluster(forceSandbox: boolean, catalog: Catalog, tickMs: number, log: Logger) {
  const kubeConfig = forceSandbox ? undefined : loadKubeConfig();
  if (kubeConfig) return { kubeConfig, sandbox: undefined as Sandbox | undefined };
  const sandbox = await startSandbox({ catalog, rolloutIntervalMs: tickMs, log });
  return { kubeConfig: sandbox.kubeConfig(), sandbox };
}

async function waitForJob(queue: JobQueue, jobNumber: number): Promise<void> {
  for (;;) {
    const job = await queue.get(jobNumber);
    if (!job || isFinished(job.state)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}

function failure(error: unknown): number {
  if (error instanceof ConfigError || error instanceof CatalogError) {
    process.stderr.write(`maestro-bot: ${error.message}\n`);
    return 2;
  }
  if (error instanceof RedisUnavailableError) {
    process.stderr.write(`maestro-bot: ${error.message}\n`);
    return 1;
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`maestro-bot: port already in use (${(error as Error).message}); set PORT to a free one\n`);
    return 1;
  }
  if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`maestro-bot: ${(error as Error).message}; usage: npm start [-- --role all|web|worker]\n`);
    return 2;
  }
  process.stderr.write(`maestro-bot: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(failure(error)),
);
