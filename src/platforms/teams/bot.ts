import { randomUUID } from 'node:crypto';
import { ActivityHandler, type InvokeResponse, type TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { AuditSink } from '../../core/audit.js';
import { internalErrorMessage, userErrorMessage } from '../../core/error-replies.js';
import { errorRef } from '../../core/errors.js';
import type { CommandRequest, InteractionRequest } from '../../core/request.js';
import type { CommandHandler } from '../../pipeline/command.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';
import { actorOf, channelDataOf, channelNames, commandTextOf, conversationOf, submittedAction, tenantOf } from './activities.js';
import { CardAction, errorResponse } from './card-action.js';
import { type ConversationStore, threadOf } from './conversations.js';
import type { ActivityDedupe } from './dedupe.js';
import { Installation } from './installation.js';
import type { TeamsChat } from './teams-chat.js';
import type { TenantBoundary } from './tenant-boundary.js';

export interface TeamsBotDeps {
  handler: CommandHandler;
  interactions: InteractionHandler;
  chat: TeamsChat;
  conversations: ConversationStore;
  dedupe: ActivityDedupe;
  tenants: TenantBoundary;
  audit: AuditSink;
  log: Logger;
  /** Work continues after the HTTP answer, so the connector is never kept waiting on a plan. */
  afterAck(work: () => Promise<void>): void;
}

/**
 * Normalises Teams activities into platform-neutral requests: messages become
 * commands (or Action.Submit presses), `adaptiveCard/action` invokes become
 * button presses answered with the updated card, and every activity leaves its
 * conversation reference behind for proactive messages. Activities from a tenant the
 * bot does not serve are refused before any of that, audited, and answered with nothing.
 */
export class TeamsBot extends ActivityHandler {
  private readonly installation: Installation;
  private readonly cardAction: CardAction;

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.installation = new Installation(deps.conversations, deps.tenants, deps.log);
    this.cardAction = new CardAction(deps.interactions, deps.chat, deps.dedupe, deps.log);
    this.onMessage(async (context, next) => {
      if (await this.admitted(context)) await this.message(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const added = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
      await this.installation.seen(context, added);
      await next();
    });
    // The SDK dispatches installationUpdate by its action only (add/add-upgrade, remove/remove-upgrade).
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installation.seen(context, true);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.installation.seen(context, false);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    // An error invoke response, not silence: Teams retries an invoke it gets no answer for.
    if (!(await this.admitted(context))) return { status: 200, body: errorResponse(403, 'Forbidden', 'This bot does not serve your organisation.') };
    await this.deps.conversations.remember(context.activity.getConversationReference(), channelNames(channelDataOf(context.activity)));
    return { status: 200, body: await this.cardAction.handle(context.activity) };
  }

  /** The tenant boundary: false (and an audit record) for a tenant the bot does not serve. */
  private async admitted(context: TurnContext): Promise<boolean> {
    const { activity } = context;
    const tenantId = tenantOf(activity);
    if (await this.deps.tenants.allows(tenantId)) return true;
    const actor = actorOf(activity);
    this.deps.log.warn({ tenantId, actor: actor.id, activityType: activity.type }, 'refused a Teams activity from a tenant the bot does not serve');
    await this.deps.audit.record({
      type: 'decision',
      decision: 'denied',
      requestId: activity.id ?? randomUUID(),
      actor,
      conversation: { ...conversationOf(activity) },
      ...(activity.text ? { text: activity.text.slice(0, 500) } : {}),
      result: 'refused: the request came from a tenant this bot does not serve',
      detail: { rule: 'tenant-boundary', tenantId: tenantId ?? null },
    });
    return false;
  }

  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    const conversation = conversationOf(activity);
    await this.deps.conversations.remember(activity.getConversationReference(), channelNames(channelDataOf(activity)));
    const submitted = submittedAction(activity);
    const text = submitted ? undefined : commandTextOf(activity);
    if (!submitted && text === undefined) return;
    if (activity.id && !(await this.deps.dedupe.first(conversation.id, activity.id))) {
      this.deps.log.info({ activityId: activity.id }, 'duplicate Teams delivery ignored');
      return;
    }
    const actor = actorOf(activity);
    const threadId = threadOf(activity.conversation?.id ?? '');
    const log = this.deps.log.child({ activityId: activity.id, actor: actor.id });
    if (submitted) {
      const request: InteractionRequest = { kind: 'interaction', id: randomUUID(), actor, conversation, ...(threadId ? { threadId } : {}), ...submitted };
      this.deps.afterAck(() =>
        this.guard(log, conversation.id, threadId, async () => {
          const result = await this.deps.interactions.handle(request, this.deps.chat);
          if (result.kind === 'failed' && !result.shown) await this.deps.chat.post(conversation.id, userErrorMessage(result.error), { threadId });
        }),
      );
      return;
    }
    const request: CommandRequest = { kind: 'command', id: randomUUID(), actor, conversation, ...(threadId ? { threadId } : {}), text: text! };
    this.deps.afterAck(() => this.guard(log, conversation.id, threadId, async () => void (await this.deps.handler.handle(request, this.deps.chat))));
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
