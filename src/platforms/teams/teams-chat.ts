import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter, TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import type { ChatPort, LongOutput, MessageRef, PostOptions } from '../../core/chat-port.js';
import type { Message } from '../../core/message.js';
import type { Metrics } from '../../core/metrics.js';
import type { OutputPages } from '../../pipeline/output-pages.js';
import { maskSecretsIn } from '../../core/secret-values.js';
import { UpdateCoalescer } from '../shared/update-coalescer.js';
import { cardAttachment } from './adaptive-card.js';
import { type ConversationStore, hasThreads, type StoredReference } from './conversations.js';
import { type RetryOptions, retryReason, statusOf, withConnectorRetry } from './retry.js';

/** A Bot Connector call that failed after every retry; carries no token or payload. */
export class TeamsApiError extends Error {
  override readonly name = 'TeamsApiError';
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    hint?: string,
  ) {
    super(`Teams ${operation} failed${status ? `: HTTP ${status}` : ''}${hint ? ` (${hint})` : ''}`);
  }
}

export interface TeamsChatOptions {
  /** Minimum gap between two edits of one card. */
  updateIntervalMs?: number;
  retry?: RetryOptions;
  /** Where each connector call and each of its retries is counted, by operation. */
  metrics?: Metrics;
  /** Keeps long outputs for their Older/Newer buttons; without it a long output shows what fits. */
  pages?: OutputPages;
}

/**
 * The Teams ChatPort. Everything is sent proactively from the stored conversation
 * reference, so it works the same in the process that received the command and in
 * a worker that did not. A MessageRef is `{ conversation: channel-level id, id:
 * activity id, threadId?: root of the reply chain }`: plain data, stored with jobs.
 */
export class TeamsChat implements ChatPort {
  readonly platform = 'teams' as const;
  private readonly updates: UpdateCoalescer<{ ref: MessageRef; message: Message }>;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly conversations: ConversationStore,
    private readonly log: Logger,
    private readonly options: TeamsChatOptions = {},
  ) {
    this.updates = new UpdateCoalescer(async (_key, { ref, message }) => {
      const reference = await this.reference(ref.conversation);
      await this.send('updateActivity', this.inThread(reference, ref.threadId), async (context) => {
        await context.updateActivity(Activity.fromObject({ ...messageActivity(message), id: ref.id }));
      });
    }, options.updateIntervalMs ?? 1000);
  }

  /** Teams takes no file from a bot in a channel: a long output is a card of pages with Older/Newer buttons. */
  postLong(conversation: string, message: Message, output: LongOutput, options: PostOptions = {}): Promise<MessageRef> {
    if (!this.options.pages) return this.post(conversation, message, options);
    return this.options.pages.post(this, conversation, message, output, options);
  }

  /** `conversation` is a conversation id or the name of a channel the bot is installed in. */
  async post(conversation: string, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    const reference = await this.reference(conversation);
    const threadId = options.threadId && hasThreads(reference) ? options.threadId : undefined;
    let id: string | undefined;
    await this.send('sendActivity', this.inThread(reference, threadId), async (context) => {
      // The SDK would make this a reply to the synthetic "continue conversation" event; the
      // conversation id (`;messageid=` for a reply chain) already says where the message goes.
      context.onSendActivities(async (_context, activities, next) => {
        for (const activity of activities) delete activity.replyToId;
        return next();
      });
      id = (await context.sendActivity(Activity.fromObject(messageActivity(message))))?.id;
    });
    if (!id) throw new TeamsApiError('sendActivity', undefined, 'the connector returned no activity id');
    return { platform: 'teams', conversation: reference.conversation.id, id, ...(threadId ? { threadId } : {}) };
  }

  update(ref: MessageRef, message: Message): Promise<void> {
    return this.updates.submit(`${ref.conversation}/${ref.id}`, { ref, message });
  }

  async reply(ref: MessageRef, message: Message): Promise<MessageRef> {
    // A channel's reply chain is one level deep: a reply to a reply joins the same chain.
    return this.post(ref.conversation, message, { threadId: ref.threadId ?? ref.id });
  }

  /**
   * Teams has no messages seen by one person only in a channel; the closest is an
   * answer in the asker's own reply chain (or the personal chat it came from).
   */
  async ephemeral(conversation: string, _userId: string, message: Message, options: PostOptions = {}): Promise<void> {
    await this.post(conversation, message, options);
  }

  /** Resolves when every pending edit has been sent: call before shutting down. */
  flush(): Promise<void> {
    return this.updates.idle();
  }

  private async reference(conversation: string): Promise<StoredReference> {
    const reference = await this.conversations.find(conversation);
    if (!reference) {
      throw new TeamsApiError(
        'lookup',
        undefined,
        `the bot has not seen the Teams conversation '${conversation}': install the app in that team and mention @maestro there once, or check the channel name in the catalog`,
      );
    }
    return reference;
  }

  private inThread(reference: StoredReference, threadId: string | undefined): StoredReference {
    if (!threadId || !hasThreads(reference)) return reference;
    return { ...reference, conversation: { ...reference.conversation, id: `${reference.conversation.id};messageid=${threadId}` } };
  }

  /** Every post, edit and reply reaches the connector here, so each is counted here once, with its retries. */
  private async send(operation: string, reference: StoredReference, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const { metrics, retry } = this.options;
    try {
      await withConnectorRetry(() => this.proactive(reference, logic), {
        ...retry,
        onRetry: (info) => {
          this.log.warn({ teamsOperation: operation, ...info }, `Teams ${operation} throttled or failed, retrying`);
          metrics?.chatRetries.inc({ platform: 'teams', method: operation, reason: retryReason(info.status) });
          retry?.onRetry?.(info);
        },
      });
      metrics?.chatCalls.inc({ platform: 'teams', method: operation, outcome: 'ok' });
    } catch (error) {
      metrics?.chatCalls.inc({ platform: 'teams', method: operation, outcome: 'error' });
      const status = statusOf(error);
      this.log.error({ teamsOperation: operation, status, err: status ? undefined : error }, `Teams ${operation} failed`);
      throw new TeamsApiError(operation, status, status ? hints[status] : undefined);
    }
  }

  /** The adapter's onTurnError would swallow what the logic throws; the caller must see it to retry or report. */
  private async proactive(reference: StoredReference, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    // Without an app id (the Emulator's development mode) the SDK wants an identity, and sends unsigned for one with no audience.
    await this.adapter.continueConversation(this.appId || {}, continuable(reference), async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}

const hints: Record<number, string> = {
  401: 'check MicrosoftAppId and MicrosoftAppPassword',
  403: 'the bot was removed from this conversation, or the app is blocked in the tenant',
  404: 'the conversation or message no longer exists',
  413: 'the card is too large for Teams',
};

/** A reference stored by the botbuilder-based releases names the bot `bot`; the Agents SDK calls it `agent`. */
function continuable(reference: StoredReference): ConversationReference {
  const legacy = reference as StoredReference & { bot?: ConversationReference['agent'] };
  const { bot, ...rest } = legacy;
  return { ...rest, ...(rest.agent || !bot ? {} : { agent: bot }) } as ConversationReference;
}

/** What goes to Teams: the bot's own secrets are never in it, whoever typed them. */
function messageActivity(raw: Message): Record<string, unknown> {
  const message = maskSecretsIn(raw);
  return { type: 'message', summary: message.title, attachments: [cardAttachment(message)] };
}
