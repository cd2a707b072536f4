import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createSlackAdapter, createSlackChat, type SlackAdapter, type SlackConfig } from '../adapters/slack/index.js';
import { createTeamsAdapter, createTeamsChat, type TeamsConfig } from '../adapters/teams/index.js';
import type { ChatPort } from '../core/chat-port.js';
import type { Platform } from '../core/request.js';
import type { CommandHandler } from '../handlers/command.js';
import type { InteractionHandler } from '../handlers/interaction.js';

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
  /** Called with each adapter's stop, for shutdown. */
  onStop(stop: () => Promise<void>): void;
}

/**
 * Slack and Teams: receivers on the web role; on a worker, send-only chats that can
 * edit and reply to messages another process posted — and never a Socket Mode
 * connection that would take commands meant for the web role.
 */
export async function startChatAdapters(options: ChatAdapterOptions): Promise<{ slackEdge?: SlackAdapter['edge'] }> {
  const { web, app, handler, interactions, redis, prefix, log, chats } = options;
  let slackEdge: SlackAdapter['edge'];
  if (options.slack && web) {
    const slack = await createSlackAdapter({ handler, interactions, redis, prefix, log, config: options.slack });
    chats.set('slack', slack.chat);
    options.onStop(() => slack.stop());
    slackEdge = slack.edge;
  } else if (options.slack) {
    chats.set('slack', createSlackChat({ config: options.slack, log }));
  }
  if (options.teams && web) {
    const config = options.teams;
    const teams = createTeamsAdapter({ app, handler, interactions, redis, prefix, log, config, updateIntervalMs: options.updateIntervalMs });
    chats.set('teams', teams.chat);
    options.onStop(() => teams.stop());
  } else if (options.teams) {
    chats.set('teams', createTeamsChat({ redis, prefix, log, config: options.teams }));
  }
  return slackEdge ? { slackEdge } : {};
}
