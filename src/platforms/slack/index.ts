import { App, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../../config/catalog-schema.js';
import type { Metrics } from '../../core/metrics.js';
import type { CommandHandler } from '../../pipeline/command.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';
import { AfterAck, drainWithin } from '../../http/after-ack.js';
import { authorizeBotToken } from './authorize.js';
import { boltLogger } from './bolt-logger.js';
import { SlackCallMeter } from './call-meter.js';
import type { SlackConfig } from './config.js';
import { DeliveryDedupe } from './dedupe.js';
import { registerListeners } from './listeners.js';
import type { SlackDelivery, SlackIngressConfig } from './ingress.js';
import { EdgeReceiver } from './receiver.js';
import { SlackChat } from './slack-chat.js';
import { catalogSlackGroups, SlackUserGroups } from './user-groups.js';

export { renderBlocks } from './block-kit.js';
export { type SlackConfig, SlackEnvSchema, SlackEnvShape, slackConfigFrom } from './config.js';
export { SLACK_BODY_LIMIT, SLACK_EVENTS_PATH } from './ingress.js';
export { SlackApiError, SlackChat } from './slack-chat.js';
export { SlackUserGroups } from './user-groups.js';

export interface SlackAdapterOptions {
  handler: CommandHandler;
  /** Routes every button (pipeline/buttons.ts). */
  interactions: InteractionHandler;
  redis: Redis;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  config: SlackConfig;
  /** Tests shorten the Web API client's backoff; production keeps the default. */
  retryConfig?: webApi.RetryOptions;
  updateIntervalMs?: number;
  /** Where the chat's Web API calls and their retries are counted. */
  metrics?: Metrics;
  /** Acknowledged requests worked on at once (default 8); the rest wait their turn. */
  workConcurrency?: number;
  /** Acknowledged requests allowed in flight, over HTTP or the socket (default 2000); beyond it new ones are turned away with a reason. */
  capacity?: number;
  /** How long stop() waits for acknowledged work, and then for pending edits (default 10 s each, inside Kubernetes' 30-second grace). */
  drainTimeoutMs?: number;
}

export interface SlackAdapter {
  chat: SlackChat;
  /** Over HTTP: what the HTTP edge needs to answer /slack/events (src/http/edge.ts). Absent in Socket Mode. */
  edge?: { ingress: SlackIngressConfig; deliver(delivery: SlackDelivery): void };
  /** Resolves once every acknowledged request has been worked on. */
  idle(): Promise<void>;
  /**
   * In Socket Mode, first closes the socket (and waits until it is closed), so that nothing more is
   * acknowledged that this process would not finish; then waits for work already acknowledged and
   * pending message edits.
   */
  stop(): Promise<void>;
}

/** 429s wait out Retry-After (the client pauses its queue); 5xx and network errors back off for about a minute. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 6, factor: 2, minTimeout: 500, maxTimeout: 20_000, randomize: true };

/**
 * The Slack adapter: Bolt fed by the HTTP edge's /slack/events (or by Socket Mode
 * when SLACK_APP_TOKEN is set), routing /maestro and every button to the handlers
 * and answering through a SlackChat.
 */
export async function createSlackAdapter(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { config } = options;
  const log = options.log.child({ platform: 'slack' });
  const sdkLogger = boltLogger(log);
  const clientOptions = clientOptionsFor(config, options.retryConfig, sdkLogger);
  // Every call to Slack the bot makes itself goes through this client (Bolt's own is left idle), so it is the one metered.
  const meter = new SlackCallMeter(options.metrics);
  const client = new webApi.WebClient(config.botToken, { ...clientOptions, retryConfig: meter.retryConfig(clientOptions.retryConfig ?? DEFAULT_RETRY) });
  const authorize = authorizeBotToken(client, config.botToken, meter);
  const afterAck = new AfterAck(options.workConcurrency ?? 8, (error) => log.error({ err: error }, 'Slack work after the ack failed'));
  // Bolt would build the Socket Mode receiver itself, but its stop() does not wait for the socket to close; ours does, through the client.
  const socket = config.appToken
    ? new SocketModeReceiver({ appToken: config.appToken, logger: sdkLogger, installerOptions: { clientOptions } })
    : undefined;
  const capacity = options.capacity ?? 2000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const receiver = socket ? undefined : new EdgeReceiver({ signingSecret: config.signingSecret, log, afterAck, capacity });
  // No conversation store: the bot keeps its state in Redis, and Bolt's in-memory one costs every request a lookup.
  const common = { authorize, clientOptions, logger: sdkLogger, convoStore: false } as const;
  const bolt = socket ? new App({ ...common, receiver: socket, socketMode: true }) : new App({ ...common, receiver });

  const chat = new SlackChat(client, log, { updateIntervalMs: options.updateIntervalMs, responseUrlBase: config.responseUrlBase, meter });
  registerListeners(bolt, {
    handler: options.handler,
    interactions: options.interactions,
    chat,
    dedupe: new DeliveryDedupe(options.redis, options.prefix),
    log,
    // Over HTTP, Bolt already runs each request from the after-ack queue, behind the receiver's
    // ack; the listener's work keeps that turn. Socket Mode acks over its socket and queues here.
    afterAck: receiver ? (work) => work() : (work) => afterAck.run(work),
    overloaded: receiver ? () => false : () => afterAck.backlog >= capacity,
  });
  bolt.error(async (error) => {
    log.error({ err: error }, 'Slack listener failed');
  });

  // Over HTTP the listener (the edge) is started by main.ts; only Socket Mode has a connection of its own.
  if (socket) await bolt.start();
  log.info({ mode: socket ? 'socket' : 'http' }, 'Slack adapter ready');

  return {
    chat,
    ...(receiver ? { edge: { ingress: receiver.ingress, deliver: (delivery: SlackDelivery) => receiver.deliver(delivery) } } : {}),
    idle: () => afterAck.idle(),
    async stop() {
      // Take no more deliveries before draining (over HTTP, main.ts closes the edge before this): one acked
      // after the drain would never be worked on. Slack sends to the app's other connections meanwhile.
      if (socket) await socket.client.disconnect();
      await drainWithin(afterAck, () => chat.flush(), drainTimeoutMs, log);
    },
  };
}

/** For a worker-only process: edits and replies with just the bot token, no Bolt app. */
export function createSlackChat(options: { config: SlackConfig; log: Logger; retryConfig?: webApi.RetryOptions; updateIntervalMs?: number; metrics?: Metrics }): SlackChat {
  const log = options.log.child({ platform: 'slack' });
  const meter = new SlackCallMeter(options.metrics);
  const client = new webApi.WebClient(options.config.botToken, clientOptionsFor(options.config, meter.retryConfig(options.retryConfig ?? DEFAULT_RETRY), boltLogger(log)));
  return new SlackChat(client, log, { updateIntervalMs: options.updateIntervalMs, responseUrlBase: options.config.responseUrlBase, meter });
}

/** A command waits on a group lookup: one quick retry, no waiting out a 429, then the cached members or a failure. */
const LOOKUP_RETRY: webApi.RetryOptions = { retries: 1, factor: 2, minTimeout: 200, maxTimeout: 500, randomize: false };
const LOOKUP_TIMEOUT_MS = 5000;

/** Membership of the catalog's Slack user groups, for the policy (roles granted by `groups: [S0…]`). */
export function createSlackUserGroups(options: {
  config: SlackConfig;
  redis: Redis;
  prefix: string;
  policy: Policy;
  log: Logger;
  ttlMs?: number;
  refreshMs?: number;
}): SlackUserGroups {
  const log = options.log.child({ platform: 'slack' });
  const client = new webApi.WebClient(options.config.botToken, {
    ...clientOptionsFor(options.config, LOOKUP_RETRY, boltLogger(log)),
    rejectRateLimitedCalls: true,
    timeout: LOOKUP_TIMEOUT_MS,
  });
  const { redis, prefix, ttlMs, refreshMs } = options;
  return new SlackUserGroups({ client, redis, prefix, groups: catalogSlackGroups(options.policy), log, ttlMs, refreshMs });
}

function clientOptionsFor(config: SlackConfig, retryConfig: webApi.RetryOptions | undefined, logger: ReturnType<typeof boltLogger>): webApi.WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: false,
    logger,
  };
}
