import { randomUUID } from 'node:crypto';
import type { Activity } from '@microsoft/agents-activity';
import type { Logger } from 'pino';
import { internalErrorMessage } from '../../core/error-replies.js';
import { errorRef } from '../../core/errors.js';
import type { InteractionRequest } from '../../core/request.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';
import { actorOf, conversationOf } from './activities.js';
import { CARD_CONTENT_TYPE, renderAdaptiveCard } from './adaptive-card.js';
import { CardCapture } from './card-capture.js';
import { baseConversationId, threadOf } from './conversations.js';
import type { ActivityDedupe } from './dedupe.js';
import type { TeamsChat } from './teams-chat.js';

/** The body of an `adaptiveCard/action` invoke response (Universal Actions, "Response format"). */
export type CardActionResponse = { statusCode: number; type: string; value: unknown };

const MESSAGE_TYPE = 'application/vnd.microsoft.activity.message';
const ERROR_TYPE = 'application/vnd.microsoft.error';

export function errorResponse(statusCode: number, code: string, message: string): CardActionResponse {
  return { statusCode, type: ERROR_TYPE, value: { code, message } };
}

/**
 * A card press (`adaptiveCard/action`). Teams shows the card in the invoke response to the
 * presser alone; everyone else still sees the posted card until the activity itself is updated,
 * so a press that changes the card is answered in the invoke *and* PUT to the activity. A press
 * Teams delivers again (same activity id) is answered and not run twice.
 */
export class CardAction {
  constructor(
    private readonly interactions: InteractionHandler,
    private readonly chat: TeamsChat,
    private readonly dedupe: ActivityDedupe,
    private readonly log: Logger,
  ) {}

  async handle(activity: Activity): Promise<CardActionResponse> {
    const action = invokeAction(activity.value);
    if (!action) return errorResponse(400, 'BadRequest', 'Not an Action.Execute.');
    const conversation = conversationOf(activity);
    if (activity.id && !(await this.dedupe.first(conversation.id, activity.id))) {
      this.log.info({ activityId: activity.id }, 'duplicate Teams card press ignored');
      return { statusCode: 200, type: MESSAGE_TYPE, value: 'Already handled.' };
    }
    const threadId = threadOf(activity.conversation?.id ?? '');
    const request: InteractionRequest = {
      kind: 'interaction',
      id: randomUUID(),
      actor: actorOf(activity),
      conversation,
      ...(threadId ? { threadId } : {}),
      actionId: action.verb,
      value: action.value,
    };
    const capture = new CardCapture(this.chat, activity.replyToId);
    try {
      const result = await this.interactions.handle(request, capture);
      if (result.kind === 'failed') return { statusCode: 200, type: MESSAGE_TYPE, value: result.error };
      if (!capture.latest) return { statusCode: 200, type: MESSAGE_TYPE, value: 'Done.' };
      if (activity.replyToId) {
        const ref = { platform: 'teams' as const, conversation: baseConversationId(activity.conversation?.id ?? ''), id: activity.replyToId, ...(threadId ? { threadId } : {}) };
        // Not awaited into the answer: the PUT is coalesced and retried; Teams wants the invoke answered now.
        this.chat.update(ref, capture.latest).catch((error: unknown) => this.log.warn({ err: error, activityId: activity.replyToId }, 'could not update the pressed card for everyone'));
      }
      return { statusCode: 200, type: CARD_CONTENT_TYPE, value: renderAdaptiveCard(capture.latest) };
    } catch (error) {
      const ref = errorRef();
      this.log.error({ err: error, ref, actionId: action.verb }, 'Teams card action failed');
      return { statusCode: 200, type: MESSAGE_TYPE, value: internalErrorMessage(ref).text ?? `Something went wrong (ref ${ref}).` };
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
