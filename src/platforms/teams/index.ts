import { CloudAdapter } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorRef } from '../../core/errors.js';
import type { CommandHandler } from '../../pipeline/command.js';
import type { Metrics } from '../../core/metrics.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';
import { AfterAck, drainWithin } from '../../http/after-ack.js';
import { authenticationFor, RefusingAuthentication } from './authentication.js';
import { TeamsBot } from './bot.js';
import type { TeamsConfig } from './config.js';
import { ConversationStore } from './conversations.js';
import { ActivityDedupe } from './dedupe.js';
import type { RetryOptions } from './retry.js';
import { TeamsChat } from './teams-chat.js';

export { renderAdaptiveCard } from './adaptive-card.js';
export { type TeamsConfig, TeamsEnvSchema, TeamsEnvShape, teamsConfigFrom } from './config.js';
export { ConversationStore } from './conversations.js';
export { TeamsApiError, TeamsChat } from './teams-chat.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Teams' own activities are a few kB (a message is capped near 28 KB); anything far beyond is not from Teams. */
export const TEAMS_BODY_LIMIT = 256 * 1024;

interface TeamsCommonOptions {
  redis: Redis;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  config: TeamsConfig;
  /**
   * Replaces the Bot Framework's public-cloud authentication. Tests pass the SDK's
   * own ConfigurationBotFrameworkAuthentication pointed at a fake's OpenID metadata.
   */
  authentication?: BotFrameworkAuthentication;
  updateIntervalMs?: number;
  retry?: RetryOptions;
  /** Where the chat's connector calls and their retries are counted. */
  metrics?: Metrics;
}

export interface TeamsAdapterOptions extends TeamsCommonOptions {
  /** The bot's one express app (src/http/server.ts); call before finishHttpApp. */
  app: Express;
  handler: CommandHandler;
  interactions: InteractionHandler;
  /** Accepted messages worked on at once (default 8); the rest wait their turn. */
  workConcurrency?: number;
  /** How long stop() waits for acknowledged work, and then for pending edits (default 10 s each). */
  drainTimeoutMs?: number;
}

export interface TeamsAdapter {
  chat: TeamsChat;
  /** Waits for accepted work and pending card edits. */
  stop(): Promise<void>;
}

/**
 * The Teams adapter: botbuilder's CloudAdapter on /api/messages of the bot's
 * listener, routing @maestro commands and card buttons to the platform-neutral
 * handlers and answering through a TeamsChat.
 */
export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const log = options.log.child({ platform: 'teams' });
  const { adapter, chat, conversations } = build(options, log);
  const afterAck = new AfterAck(options.workConcurrency ?? 8, (error) => log.error({ err: error }, 'Teams work after the answer failed'));
  const bot = new TeamsBot({
    handler: options.handler,
    interactions: options.interactions,
    chat,
    conversations,
    dedupe: new ActivityDedupe(options.redis, options.prefix),
    log,
    afterAck: (work) => afterAck.run(work),
  });
  adapter.onTurnError = async (_context, error) => {
    log.error({ err: error, ref: errorRef() }, 'Teams turn failed');
  };
  // The SDK reads req.body and answers every refusal itself (401 unauthenticated, 400 not an activity).
  options.app.post(TEAMS_MESSAGES_PATH, express.json({ limit: TEAMS_BODY_LIMIT }), async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  if (options.config.unauthenticated) log.warn('Teams requests are NOT authenticated (TEAMS_ALLOW_UNAUTHENTICATED): development only');
  log.info({ path: TEAMS_MESSAGES_PATH }, 'Teams adapter ready');
  return {
    chat,
    async stop() {
      await drainWithin(afterAck, () => chat.flush(), options.drainTimeoutMs ?? 10_000, log);
    },
  };
}

/** For a worker-only process: posts, edits and replies from stored conversation references, no HTTP route. */
export function createTeamsChat(options: TeamsCommonOptions): TeamsChat {
  return build(options, options.log.child({ platform: 'teams' })).chat;
}

function build(options: TeamsCommonOptions, log: Logger) {
  const authentication = new RefusingAuthentication(options.authentication ?? authenticationFor(options.config), log);
  const adapter = new CloudAdapter(authentication);
  const conversations = new ConversationStore(options.redis, options.prefix);
  const chat = new TeamsChat(adapter, options.config.appId, conversations, log, {
    updateIntervalMs: options.updateIntervalMs,
    retry: options.retry,
    metrics: options.metrics,
  });
  return { adapter, chat, conversations };
}
