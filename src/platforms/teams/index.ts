import { CloudAdapter } from '@microsoft/agents-hosting';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuditSink } from '../../core/audit.js';
import type { Metrics } from '../../core/metrics.js';
import { AfterAck, drainWithin } from '../../http/after-ack.js';
import type { CommandHandler } from '../../pipeline/command.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';
import { RefusalLog } from '../shared/refusal-log.js';
import { TeamsBot } from './bot.js';
import { authConfiguration } from './auth-settings.js';
import type { TeamsConfig } from './config.js';
import { ConversationStore } from './conversations.js';
import { ActivityDedupe } from './dedupe.js';
import type { RetryOptions } from './retry.js';
import { TeamsChat } from './teams-chat.js';
import { TeamsRoute } from './teams-route.js';
import { TenantBoundary } from './tenant-boundary.js';
import type { OutputPages } from '../../pipeline/output-pages.js';

export { renderAdaptiveCard } from './adaptive-card.js';
export { type TeamsConfig, TeamsEnvSchema, TeamsEnvShape, teamsConfigFrom } from './config.js';
export { ConversationStore } from './conversations.js';
export { TeamsApiError, TeamsChat } from './teams-chat.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Teams' own activities are a few kB (a bot message is capped near 100 KB); anything far beyond is not from Teams. */
export const TEAMS_BODY_LIMIT = 256 * 1024;

interface TeamsCommonOptions {
  redis: Redis;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  config: TeamsConfig;
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
  audit: AuditSink;
  /** The tenants a multi-tenant app serves, from the catalog (empty: the tenant it was installed in first). */
  tenants: readonly string[];
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
 * The Teams adapter: the Microsoft 365 Agents SDK's CloudAdapter on /api/messages of the
 * bot's listener, behind our own checks (a body that is an activity, the SDK's JWT validation
 * with the serviceUrl bound), routing @maestro commands and card buttons to the
 * platform-neutral handlers and answering through a TeamsChat.
 */
export async function createTeamsAdapter(options: TeamsAdapterOptions): Promise<TeamsAdapter> {
  const log = options.log.child({ platform: 'teams' });
  // Long output is paged on cards whose buttons the interactions route; a worker-only chat has none (it answers no reads).
  const { adapter, chat, conversations } = build(options, options.interactions.pages);
  const afterAck = new AfterAck(options.workConcurrency ?? 8, (error) => log.error({ err: error }, 'Teams work after the answer failed'));
  const tenants = new TenantBoundary(options.config, options.tenants, options.redis, options.prefix);
  const bot = new TeamsBot({
    handler: options.handler,
    interactions: options.interactions,
    chat,
    conversations,
    dedupe: new ActivityDedupe(options.redis, options.prefix),
    tenants,
    audit: options.audit,
    log,
    afterAck: (work) => afterAck.run(work),
  });
  const route = new TeamsRoute(adapter, options.config, bot, new RefusalLog(log), log);
  options.app.post(
    TEAMS_MESSAGES_PATH,
    express.json({ limit: TEAMS_BODY_LIMIT }),
    (error: Error & { status?: number }, _req: Request, res: Response, next: NextFunction) => route.refuseBody(error, res, next),
    (req: Request, res: Response) => route.handle(req, res),
  );
  if (options.config.unauthenticated) log.warn('Teams requests are NOT authenticated (TEAMS_ALLOW_UNAUTHENTICATED): development only');
  await tenants.describe(log);
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
  return build(options).chat;
}

function build(options: TeamsCommonOptions, pages?: OutputPages) {
  const log = options.log.child({ platform: 'teams' });
  // The serviceUrl check the SDK leaves off is on; TeamsRoute binds it to the token first, exactly.
  const adapter = new CloudAdapter(options.config.unauthenticated ? {} : authConfiguration(options.config), undefined, undefined, { validateServiceUrl: true });
  // The SDK's default posts "The agent encountered an error or bug." into the conversation; ours logs.
  adapter.onTurnError = async (_context, error) => {
    log.error({ err: error }, 'Teams turn failed');
  };
  const conversations = new ConversationStore(options.redis, options.prefix);
  const chat = new TeamsChat(adapter, options.config.appId, conversations, log, {
    updateIntervalMs: options.updateIntervalMs,
    retry: options.retry,
    metrics: options.metrics,
    ...(pages ? { pages } : {}),
  });
  return { adapter, chat, conversations };
}
