import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { incidentVerbs, kubernetesVerbs } from '../../support/kubernetes-verbs.js';
import { ack, resolve } from '../../../src/verbs/incident-response/incident-response.js';
import { page } from '../../../src/verbs/page/page.js';
import { createHttpApp, finishHttpApp } from '../../../src/http/server.js';
import { mountWebhooks } from '../../../src/http/webhooks/index.js';
import { kubernetesFromConfig } from '../../../src/clients/kubernetes/client.js';
import { PagerDutyClient } from '../../../src/clients/pagerduty.js';
import { createSlackAdapter, createSlackUserGroups, type SlackAdapter } from '../../../src/platforms/slack/index.js';
import { createTeamsAdapter, type TeamsAdapter } from '../../../src/platforms/teams/index.js';
import { loadCatalog } from '../../../src/config/catalog.js';
import type { Catalog } from '../../../src/config/catalog-schema.js';
import { Metrics } from '../../../src/core/metrics.js';
import { ActionRegistry } from '../../../src/core/registry.js';
import { ApprovalStore } from '../../../src/pipeline/approval-store.js';
import { AutomaticChanges, jobsIdle } from '../../../src/pipeline/automatic.js';
import { CommandHandler } from '../../../src/pipeline/command.js';
import { ConfirmationStore } from '../../../src/pipeline/confirmations.js';
import { InteractionHandler } from '../../../src/pipeline/interaction.js';
import { type Incidents, startIncidents } from '../../../src/incidents/index.js';
import { JobQueue, type JobWorker, startWorker } from '../../../src/jobs/index.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { FakeBotConnector } from '../../fakes/bot-connector.js';
import { FakePagerDuty } from '../../fakes/pagerduty.js';
import { FakeSlackApi } from '../../fakes/slack-api.js';
import { MemoryAudit } from '../../fixtures/memory-audit.js';
import { RecordingChat } from '../../fixtures/recording-chat.js';
import { listenForTests } from '../../support/edge.js';
import { cleanPrefix, testPrefix, testRedis } from '../../support/redis.js';
import { SIGNING_SECRET } from '../../slack/support/slack-requests.js';
import { APP_ID, botAddedToTeam, postActivity, TEAM_ID, TENANT_ID } from '../../teams/support/activities.js';
import { teamsTestConfig } from '../../teams/support/credentials.js';
import { highErrorRate } from '../../fixtures/alertmanager/payloads.js';

export const catalog = loadCatalog('config/catalog.yaml');
const shippedCatalog = catalog;
export const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';
export const PD_SECRETS = ['pd-secret-new-0001', 'pd-secret-old-0002'];
export const ROUTING_KEY = 'R0123456789abcdef0123456789abcd';

/** Every Teams channel a catalog sends cards to, with an id of the form Teams gives channels, as the fake Bot Connector lists them. */
export function teamsChannels(of: Catalog): Array<{ id: string; name: string }> {
  const names = new Set([...Object.values(of.services).flatMap((s) => s.channels.teams ?? []), ...(of.defaults.alertChannels?.teams ?? [])]);
  return [...names].map((name) => ({ id: `19:${name.toLowerCase().replaceAll(' ', '-')}@thread.tacv2`, name }));
}

/** The real Teams adapter on /api/messages, against a fake Bot Connector. */
export interface TeamsBotHarness {
  fake: FakeBotConnector;
  adapter: TeamsAdapter;
  /** POSTs an activity with a valid channel token for it. */
  send(activity: { serviceUrl: string }): ReturnType<typeof postActivity>;
}

export interface AlertHarness {
  url: string;
  slackApi: FakeSlackApi;
  pd: FakePagerDuty;
  /** Teams as a recording chat, unless the harness runs the real Teams adapter (`bot`). */
  teams: RecordingChat;
  bot?: TeamsBotHarness;
  audit: MemoryAudit;
  redis: Redis;
  prefix: string;
  incidents: Incidents;
  sandbox?: Sandbox;
  /** POSTs an Alertmanager notification with the bearer token (or the given headers). */
  notify(body: unknown, headers?: Record<string, string>): Promise<Response>;
  pagerdutyWebhook(body: unknown, options?: { secret?: string; signature?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The bot as main.ts would wire issue #8: the real listener, webhook routes, alert
 * queue and card flusher, the real Slack adapter against a fake Slack, a recording
 * Teams chat, and pdjs against a fake PagerDuty (HTTPS events, HTTP REST).
 * `/metrics` serves the registry the incident counters are in.
 */
export async function startAlertHarness(
  name: string,
  options: {
    sandbox?: boolean;
    cardIntervalMs?: number;
    channelIntervalMs?: number;
    workerConcurrency?: number;
    /** Another catalog than the shipped one (its defaults.alertChannels are wired as main.ts does). */
    catalog?: Catalog;
    log?: Logger;
    /** Enforce the catalog's policy, with Slack user groups looked up (usergroups.users.list) in the fake Slack as main.ts does. */
    policy?: boolean;
    /** Run the real Teams adapter against a fake Bot Connector instead of a recording chat. */
    teamsAdapter?: boolean;
  } = {},
): Promise<AlertHarness> {
  const log = options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const catalog = options.catalog ?? shippedCatalog;
  const redis = testRedis();
  const prefix = testPrefix(`alerts-${name}`).replaceAll(':', '-');
  const slackApi = await new FakeSlackApi().start();
  const pd = await new FakePagerDuty().start();
  const teams = new RecordingChat('teams');
  const audit = new MemoryAudit();
  const fakeConnector = options.teamsAdapter ? await new FakeBotConnector().start() : undefined;
  const sandbox = options.sandbox ? await startSandbox({ catalog, rolloutIntervalMs: 50 }) : undefined;
  const metrics = new Metrics({ defaultMetrics: false });
  const app = createHttpApp({ metrics, readiness: [], log });
  const jobs = new JobQueue({ connection: redis, prefix, attempts: 1 });
  const ports: Record<string, unknown> = sandbox ? { kubernetes: kubernetesFromConfig(sandbox.kubeConfig()), followPollMs: 50 } : {};
  const registry = new ActionRegistry([...kubernetesVerbs, ...incidentVerbs, page, ack, resolve]);
  const slackConfig = { botToken: 'xoxb-test-token-1234', signingSecret: SIGNING_SECRET, apiUrl: slackApi.url };
  const groups = options.policy ? createSlackUserGroups({ config: slackConfig, redis, prefix, policy: catalog.policy, log }) : undefined;
  const policy = groups ? { policy: { approvals: new ApprovalStore(redis, prefix), groupsOf: (actor: Parameters<typeof groups.groupsOf>[0]) => groups.groupsOf(actor) } } : {};
  const handler = new CommandHandler({ registry, catalog, audit, metrics, log, confirmations: new ConfirmationStore(redis, prefix), jobs, ports, ...policy });
  let slack: SlackAdapter | undefined;
  let teamsAdapter: TeamsAdapter | undefined;
  const teamsChat = () => teamsAdapter?.chat ?? (fakeConnector ? undefined : teams);
  const pagerduty = new PagerDutyClient({
    apiToken: 'pd-test-token',
    fromEmail: 'maestro-bot@example.com',
    apiUrl: pd.url,
    eventsHost: pd.eventsHost,
    ...(pd.eventsAgent ? { eventsAgent: pd.eventsAgent } : {}),
  });
  const incidents = startIncidents({
    connection: redis,
    prefix,
    catalog,
    chats: (platform) => (platform === 'slack' ? slack?.chat : platform === 'teams' ? teamsChat() : undefined),
    log,
    pagerduty,
    routingKeys: { PAGERDUTY_ROUTING_KEY_MAESTRO: ROUTING_KEY },
    ...(catalog.defaults.alertChannels ? { fallbackChannels: catalog.defaults.alertChannels } : {}),
    registry: metrics.registry,
    cardIntervalMs: options.cardIntervalMs ?? 150,
    channelIntervalMs: options.channelIntervalMs ?? 1000,
    runWorker: true,
    workerConcurrency: options.workerConcurrency ?? 16,
    flushConcurrency: 32,
  });
  ports.pager = incidents.pager;
  const interactions = new InteractionHandler(handler, {
    incidents: { store: incidents.store, lookups: incidents.lookups, responder: incidents.responder, log },
  });
  incidents.automate(new AutomaticChanges({ commands: handler, redis, prefix, log }), () => jobsIdle(jobs));
  slack = await createSlackAdapter({
    handler,
    interactions,
    redis,
    prefix,
    log,
    config: slackConfig,
    retryConfig: { retries: 2, minTimeout: 20, maxTimeout: 100, factor: 2 },
    updateIntervalMs: 20,
  });
  if (fakeConnector) {
    teamsAdapter = await createTeamsAdapter({
      app,
      handler,
      interactions,
      audit,
      tenants: [TENANT_ID],
      redis,
      prefix,
      log,
      config: teamsTestConfig(),
      updateIntervalMs: 20,
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
    });
  }
  mountWebhooks({ app, queue: incidents.queue, log, alertmanager: { token: ALERTMANAGER_TOKEN }, pagerdutySecrets: PD_SECRETS });
  finishHttpApp(app, log);
  const edge = await listenForTests(app, log, slack);
  const { url } = edge;
  const bot = fakeConnector && teamsAdapter ? teamsBot(url, fakeConnector, teamsAdapter) : undefined;
  // The bot learns the team's channels when it is added to the team, as in Teams; only then can cards go there.
  if (bot) {
    bot.fake.channels = [{ id: TEAM_ID }, ...teamsChannels(catalog)];
    const added = await bot.send(botAddedToTeam(bot.fake.url));
    if (added.status !== 200) throw new Error(`adding the bot to the team failed: ${added.status}`);
    bot.fake.reset();
  }
  incidents.start();
  const worker: JobWorker = await startWorker({
    connection: redis,
    prefix,
    registry,
    catalog,
    ports,
    chat: (platform) => (platform === 'slack' ? slack?.chat : platform === 'teams' ? teamsChat() : undefined),
    audit,
    log,
    progressIntervalMs: 50,
  });
  return {
    url,
    slackApi,
    pd,
    teams,
    ...(bot ? { bot } : {}),
    audit,
    redis,
    prefix,
    incidents,
    ...(sandbox ? { sandbox } : {}),
    notify(body, headers) {
      return fetch(`${url}/webhooks/alertmanager`, {
        method: 'POST',
        headers: headers ?? { 'content-type': 'application/json', authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    pagerdutyWebhook(body, opts = {}) {
      const raw = JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const signature = opts.signature === undefined ? `v1=${createHmac('sha256', opts.secret ?? PD_SECRETS[0]!).update(raw).digest('hex')}` : opts.signature;
      if (signature !== null) headers['x-pagerduty-signature'] = signature;
      return fetch(`${url}/webhooks/pagerduty`, { method: 'POST', headers, body: raw });
    },
    async close() {
      await worker.close();
      await incidents.close();
      await slack?.stop();
      await teamsAdapter?.stop();
      await edge.close();
      await jobs.close();
      await slackApi.stop();
      await pd.stop();
      await fakeConnector?.stop();
      await sandbox?.close();
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

function teamsBot(url: string, fake: FakeBotConnector, adapter: TeamsAdapter): TeamsBotHarness {
  return { fake, adapter, send: (activity) => postActivity(url, activity, fake.token({ audience: APP_ID, serviceUrl: activity.serviceUrl })) };
}

let paged = 0;
/**
 * A fresh paging incident (MaestroHighErrorRate, a group of its own): its group key,
 * the Slack card's ts, the PagerDuty incident id and dedup key. Call after resetting
 * the fakes, so the card and the event found are this incident's.
 */
export async function pagedIncident(h: AlertHarness): Promise<{ group: string; ts: string; pdId: string; dedupKey: string }> {
  paged += 1;
  const group = `{}:{alertname="MaestroHighErrorRate", pd="${Date.now()}-${paged}"}`;
  const response = await h.notify(highErrorRate(group));
  if (response.status !== 200) throw new Error(`the alert was refused: ${response.status}`);
  await h.incidents.settled();
  const ts = String(h.slackApi.succeeded('chat.postMessage').find((c) => !c.body.thread_ts)!.response!.ts);
  const dedupKey = String(h.pd.events[0]!.body.dedup_key);
  return { group, ts, pdId: h.pd.incidents.get(dedupKey)!.id, dedupKey };
}
