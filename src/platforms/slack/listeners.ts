import { randomUUID } from 'node:crypto';
import type { App, BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatPort } from '../../core/chat-port.js';
import { errorRef } from '../../core/errors.js';
import type { Actor, CommandRequest, Conversation, InteractionRequest } from '../../core/request.js';
import type { CommandHandler } from '../../pipeline/command.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';
import { internalErrorMessage, OVERLOADED_TEXT, userErrorMessage } from '../../core/error-replies.js';
import { type DeliveryDedupe, deliveryKey } from './dedupe.js';
import type { SlackChat } from './slack-chat.js';

export interface ListenerDeps {
  handler: CommandHandler;
  /** Every button goes here: what a button does is decided once, for all platforms. */
  interactions: InteractionHandler;
  chat: SlackChat;
  dedupe: DeliveryDedupe;
  log: Logger;
  /** Work continues after the ack, in its turn, so that acks of later requests are not kept waiting. */
  afterAck(work: () => Promise<void>): Promise<void> | void;
  /** True when the bot takes no more work (Socket Mode's burst limit; over HTTP the edge turns requests away itself). */
  overloaded(): boolean;
}

/**
 * Normalises Slack's slash commands and button presses into platform-neutral
 * requests. Every listener acks first — nothing slow (Redis, Kubernetes) happens
 * before Slack has its answer — then dedupes, then hands over to the handler.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  // Any slash command the app owns: a workspace may install it as /maestro-staging.
  app.command(/.*/, async ({ command, ack, context }) => {
    if (deps.overloaded()) {
      deps.log.warn({ actor: command.user_id }, 'Slack command turned away: too much acknowledged work is waiting');
      await ack({ response_type: 'ephemeral', text: OVERLOADED_TEXT });
      return;
    }
    await ack();
    await deps.afterAck(() => onCommand(command, context.retryNum, deps));
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ body, action, ack, context }) => {
    await ack();
    if (deps.overloaded()) {
      deps.log.warn({ actor: body.user.id, actionId: action.action_id }, 'Slack button press turned away: too much acknowledged work is waiting');
      // A button's ack carries no text: one ephemeral says why nothing happened.
      const channel = body.channel?.id;
      if (channel) await quietly(deps.log, () => deps.chat.forRequest({ channel, userId: body.user.id, responseUrl: body.response_url, log: deps.log }).ephemeral(channel, body.user.id, userErrorMessage(OVERLOADED_TEXT)));
      return;
    }
    await deps.afterAck(() => onButton(body, action, context.retryNum, deps));
  });
}

const MALFORMED_TEXT = "Slack delivered this command with no text field, or with more than one, so nothing was run: type it again (try '/maestro help').";

async function onCommand(command: SlashCommand, retryNum: number | undefined, deps: ListenerDeps): Promise<void> {
  const log = deps.log.child({ slackTrigger: command.trigger_id, actor: command.user_id });
  const conversation: Conversation = { platform: 'slack', id: command.channel_id, name: command.channel_name, teamId: command.team_id };
  const actor: Actor = { id: command.user_id, name: command.user_name, platform: 'slack' };
  const chat = deps.chat.forRequest({ channel: conversation.id, userId: actor.id, responseUrl: command.response_url, log });
  // A form may carry no `text` field, or several (an array): either way there is no command to read.
  const typed: unknown = command.text;
  if (typeof typed !== 'string') {
    log.warn({ textType: Array.isArray(typed) ? 'repeated' : typeof typed }, 'Slack command without a single text field');
    await quietly(log, () => chat.ephemeral(conversation.id, actor.id, userErrorMessage(MALFORMED_TEXT)));
    return;
  }
  // A bare `/maestro` is a request for help, not a parse error.
  const text = typed.trim() || 'help';
  const request: CommandRequest = { kind: 'command', id: randomUUID(), actor, conversation, text };
  try {
    const key = deliveryKey('command', command);
    if (key && !(await deps.dedupe.first(key))) {
      log.info({ retryNum }, 'duplicate Slack delivery of a command ignored');
      return;
    }
    await deps.handler.handle(request, chat);
  } catch (error) {
    await reportInternal(error, log, chat, conversation.id, actor.id);
  }
}

async function onButton(body: BlockAction<ButtonAction>, action: ButtonAction, retryNum: number | undefined, deps: ListenerDeps): Promise<void> {
  const log = deps.log.child({ slackTrigger: body.trigger_id, actor: body.user.id, actionId: action.action_id });
  const channel = body.channel?.id;
  if (!channel) {
    log.warn('button press without a channel ignored');
    return;
  }
  const actor: Actor = { id: body.user.id, name: body.user.name ?? body.user.username, platform: 'slack' };
  const threadTs = body.message?.thread_ts;
  const threadId = typeof threadTs === 'string' ? threadTs : undefined;
  const chat = deps.chat.forRequest({ channel, userId: actor.id, responseUrl: body.response_url, log });
  try {
    const key = deliveryKey('action', body, action.action_ts);
    if (key && !(await deps.dedupe.first(key))) {
      log.info({ retryNum }, 'duplicate Slack delivery of a button press ignored');
      return;
    }
    const conversation: Conversation = {
      platform: 'slack',
      id: channel,
      ...(body.channel?.name ? { name: body.channel.name } : {}),
      ...(body.team?.id ? { teamId: body.team.id } : {}),
    };
    const request: InteractionRequest = {
      kind: 'interaction',
      id: randomUUID(),
      actor,
      conversation,
      ...(threadId ? { threadId } : {}),
      actionId: action.action_id,
      value: action.value ?? '',
    };
    const result = await deps.interactions.handle(request, chat);
    // Pressed twice, or after the plan already ran or expired: tell only the presser.
    if (result.kind === 'failed' && !result.shown) await chat.ephemeral(channel, actor.id, userErrorMessage(result.error), { threadId });
  } catch (error) {
    await reportInternal(error, log, chat, channel, actor.id);
  }
}

async function reportInternal(error: unknown, log: Logger, chat: ChatPort, channel: string, userId: string): Promise<void> {
  const ref = errorRef();
  log.error({ err: error, ref }, 'Slack request failed');
  await quietly(log, () => chat.ephemeral(channel, userId, internalErrorMessage(ref)));
}

/** Telling the user about a failure must not itself throw into Bolt. */
async function quietly(log: Logger, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    log.warn({ err: error }, 'could not tell the user about a failure');
  }
}
