import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SlackConfig } from '../platforms/slack/config.js';
import type { SlackAdapter } from '../platforms/slack/index.js';
import type { TeamsConfig } from '../platforms/teams/config.js';
import type { ChatPort } from '../core/chat-port.js';
import type { Metrics } from '../core/metrics.js';
import type { Platform } from '../core/request.js';
import type { CommandHandler } from '../pipeline/command.js';
import type { InteractionHandler } from '../pipeline/interaction.js';

export interface ChatAdapterOptions {
  web: boolean;
  slack?: SlackConfig;
  teams?: TeamsConfig;
  app: Express;
  handler: CommandHandler;
  interactions: InteractionHandler;
  redis: Redis;
  prefix: string;
  log: Logger;
  updateIntervalMs: number;
  chats: Map<Platform, ChatPort>;
  /** Each chat counts its API calls and retries here, request-scoped replies included. */
  metrics: Metrics;
  /** Called with each adapter's stop, for shutdown. */
  onStop(stop: () => Promise<void>): void;
}

/**
 * Slack and Teams: receivers on the web role; on a worker, send-only chats that can
 * edit and reply to messages another process posted — and never a Socket Mode
 * connection that would take commands meant for the web role. Each platform's SDK
 * is imported only when that platform is configured: Bolt and botbuilder cost
 * start-up time and memory a console or Teams-only bot has no use for.
 */
export async function startChatAdapters(options: ChatAdapterOptions): Promise<{ slackEdge?: SlackAdapter['edge'] }> {
  const { web, app, handler, interactions, redis, prefix, log, chats, metrics } = options;
  let slackEdge: SlackAdapter['edge'];
  if (options.slack) {
    const { createSlackAdapter, createSlackChat } = await import('../platforms/slack/index.js');
    if (web) {
      const slack = await createSlackAdapter({ handler, interactions, redis, prefix, log, config: options.slack, metrics });
      chats.set('slack', slack.chat);
      options.onStop(() => slack.stop());
      slackEdge = slack.edge;
    } else {
      chats.set('slack', createSlackChat({ config: options.slack, log, metrics }));
    }
  }
  if (options.teams) {
    const { createTeamsAdapter, createTeamsChat } = await import('../platforms/teams/index.js');
    const config = options.teams;
    if (web) {
      const teams = createTeamsAdapter({ app, handler, interactions, redis, prefix, log, config, updateIntervalMs: options.updateIntervalMs, metrics });
      chats.set('teams', teams.chat);
      options.onStop(() => teams.stop());
    } else {
      chats.set('teams', createTeamsChat({ redis, prefix, log, config, metrics }));
    }
  }
  return slackEdge ? { slackEdge } : {};
}
