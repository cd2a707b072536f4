import { randomUUID } from 'node:crypto';
import { ActivityHandler, type InvokeResponse, TeamsInfo, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { errorRef } from '../../core/errors.js';
import type { CommandRequest, InteractionRequest } from '../../core/request.js';
import type { CommandHandler } from '../../pipeline/command.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';
import { internalErrorMessage, userErrorMessage } from '../../core/error-replies.js';
import { actorOf, channelDataOf, channelNames, commandTextOf, conversationOf, submittedAction } from './activities.js';
import { CARD_CONTENT_TYPE, renderAdaptiveCard } from './adaptive-card.js';
import { CardCapture } from './card-capture.js';
import { type ConversationStore, threadOf } from './conversations.js';
import type { ActivityDedupe } from './dedupe.js';
import type { TeamsChat } from './teams-chat.js';

export interface TeamsBotDeps {
  handler: CommandHandler;
  interactions: InteractionHandler;
  chat: TeamsChat;
  conversations: ConversationStore;
  dedupe: ActivityDedupe;
  log: Logger;
  /** Work continues after the HTTP answer, so the connector is never kept waiting on a plan. */
  afterAck(work: () => Promise<void>): void;
}

const MESSAGE_TYPE = 'application/vnd.microsoft.activity.message';

/**
 * Normalises Teams activities into platform-neutral requests: messages become
 * commands (or Action.Submit presses), `adaptiveCard/action` invokes become
 * button presses answered with the updated card, and every activity leaves its
 * conversation reference behind for proactive messages.
 */
export class TeamsBot extends ActivityHandler {
  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await this.installed(context, (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id));
      await next();
    });
    this.onInstallationUpdate(async (context, next) => {
      await this.installed(context, context.activity.action === 'add' || context.activity.action === 'add-upgrade');
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    return { status: 200, body: await this.cardAction(context) };
  }

  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    const conversation = conversationOf(activity);
    await this.deps.conversations.remember(TurnContext.getConversationReference(activity), channelNames(channelDataOf(activity)));
    const submitted = submittedAction(activity);
    const text = submitted ? undefined : commandTextOf(activity);
    if (!submitted && text === undefined) return;
    if (activity.id && !(await this.deps.dedupe.first(conversation.id, activity.id))) {
      this.deps.log.info({ activityId: activity.id }, 'duplicate Teams delivery ignored');
      return;
    }
    const actor = actorOf(activity);
    const threadId = threadOf(activity.conversation.id);
    const log = this.deps.log.child({ activityId: activity.id, actor: actor.id });
    if (submitted) {
      const request: InteractionRequest = { kind: 'interaction', id: randomUUID(), actor, conversation, threadId, ...submitted };
      this.deps.afterAck(() =>
        this.guard(log, conversation.id, threadId, async () => {
          const result = await this.deps.interactions.handle(request, this.deps.chat);
          if (result.kind === 'failed' && !result.shown) await this.deps.chat.post(conversation.id, userErrorMessage(result.error), { threadId });
        }),
      );
      return;
    }
    const request: CommandRequest = { kind: 'command', id: randomUUID(), actor, conversation, threadId, text: text! };
    this.deps.afterAck(() => this.guard(log, conversation.id, threadId, async () => void (await this.deps.handler.handle(request, this.deps.chat))));
  }

  /** Answered in the invoke: the updated card replaces the pressed one; a refusal is shown to the presser only. */
  private async cardAction(context: TurnContext): Promise<Record<string, unknown>> {
    const { activity } = context;
    await this.deps.conversations.remember(TurnContext.getConversationReference(activity), channelNames(channelDataOf(activity)));
    const action = invokeAction(activity.value);
    if (!action) return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Not an Action.Execute.' } };
    const conversation = conversationOf(activity);
    const request: InteractionRequest = {
      kind: 'interaction',
      id: randomUUID(),
      actor: actorOf(activity),
      conversation,
      threadId: threadOf(activity.conversation.id),
      actionId: action.verb,
      value: action.value,
    };
    const capture = new CardCapture(this.deps.chat, activity.replyToId);
    try {
      const result = await this.deps.interactions.handle(request, capture);
      if (result.kind === 'failed') return { statusCode: 200, type: MESSAGE_TYPE, value: result.error };
      if (capture.latest) return { statusCode: 200, type: CARD_CONTENT_TYPE, value: renderAdaptiveCard(capture.latest) };
      return { statusCode: 200, type: MESSAGE_TYPE, value: 'Done.' };
    } catch (error) {
      const ref = errorRef();
      this.deps.log.error({ err: error, ref, actionId: action.verb }, 'Teams card action failed');
      return { statusCode: 200, type: MESSAGE_TYPE, value: internalErrorMessage(ref).text ?? `Something went wrong (ref ${ref}).` };
    }
  }

  /** Remembers where the bot now lives; in a team, every channel of it, by name. */
  private async installed(context: TurnContext, added: boolean): Promise<void> {
    const { activity } = context;
    const data = channelDataOf(activity);
    const reference = TurnContext.getConversationReference(activity);
    await this.deps.conversations.remember(reference, channelNames(data));
    // Channel created or renamed: the event names the channel, whose conversation is its own id.
    if (data.channel?.id && data.channel.id !== activity.conversation.id) {
      await this.deps.conversations.remember({ ...reference, conversation: { ...activity.conversation, id: data.channel.id, conversationType: 'channel' } }, channelNames(data));
    }
    if (!added || !data.team?.id) return;
    try {
      for (const channel of await TeamsInfo.getTeamChannels(context, data.team.id)) {
        if (!channel.id) continue;
        const conversation = { ...activity.conversation, id: channel.id, conversationType: 'channel' };
        await this.deps.conversations.remember({ ...reference, conversation }, channelNames(data, { id: channel.id, name: channel.name }));
      }
    } catch (error) {
      this.deps.log.warn({ err: error, teamId: data.team.id }, 'could not list the channels of the team the bot was added to');
    }
  }

  private async guard(log: Logger, conversationId: string, threadId: string | undefined, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const ref = errorRef();
      log.error({ err: error, ref }, 'Teams request failed');
      try {
        await this.deps.chat.post(conversationId, internalErrorMessage(ref), { threadId });
      } catch (sendError) {
        log.warn({ err: sendError }, 'could not tell the user about a failure');
      }
    }
  }
}

/** The Action.Execute press in an invoke's value; anything else is not ours to run. */
function invokeAction(value: unknown): { verb: string; value: string } | undefined {
  if (typeof value !== 'object' || value === null || !('action' in value)) return undefined;
  const action: unknown = value.action;
  if (typeof action !== 'object' || action === null || !('type' in action) || action.type !== 'Action.Execute') return undefined;
  if (!('verb' in action) || typeof action.verb !== 'string' || action.verb === '') return undefined;
  const data: unknown = 'data' in action ? action.data : undefined;
  const dataValue = typeof data === 'object' && data !== null && 'value' in data && typeof data.value === 'string' ? data.value : '';
  return { verb: action.verb, value: dataValue };
}
