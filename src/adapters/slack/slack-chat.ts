import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatPort, MessageRef, PostOptions } from '../../core/chat-port.js';
import type { Message } from '../../core/message.js';
import { renderBlocks } from './block-kit.js';
import { UpdateCoalescer } from './update-coalescer.js';

/** A Slack Web API call that failed after the client's own retries; carries no token or payload. */
export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  constructor(
    readonly method: string,
    readonly code: string,
    hint?: string,
  ) {
    super(`Slack ${method} failed: ${code}${hint ? ` (${hint})` : ''}`);
  }
}

export interface SlackChatOptions {
  /** Minimum gap between two edits of one message. */
  updateIntervalMs?: number;
}

/**
 * The Slack ChatPort. A MessageRef is `{ conversation: channel id, id: ts }`
 * (plus the parent ts for a threaded reply) — plain data, so a worker process
 * with only a bot token can edit a message the web process posted.
 */
export class SlackChat implements ChatPort {
  readonly platform = 'slack' as const;
  private readonly updates: UpdateCoalescer<{ ref: MessageRef; message: Message }>;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    options: SlackChatOptions = {},
  ) {
    this.updates = new UpdateCoalescer(async (_key, { ref, message }) => {
      await this.call('chat.update', () => this.client.chat.update({ channel: ref.conversation, ts: ref.id, ...renderBlocks(message) }));
    }, options.updateIntervalMs ?? 1000);
  }

  async post(conversation: string, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    const result = await this.call('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: conversation,
        ...renderBlocks(message),
        ...(options.threadId ? { thread_ts: options.threadId } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return this.ref(result, conversation, options.threadId);
  }

  update(ref: MessageRef, message: Message): Promise<void> {
    return this.updates.submit(`${ref.conversation}/${ref.id}`, { ref, message });
  }

  async reply(ref: MessageRef, message: Message): Promise<MessageRef> {
    // A reply to a reply belongs in the same thread: Slack threads are one level deep.
    return this.post(ref.conversation, message, { threadId: ref.threadId ?? ref.id });
  }

  async ephemeral(conversation: string, userId: string, message: Message, options: PostOptions = {}): Promise<void> {
    await this.call('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({
        channel: conversation,
        user: userId,
        ...renderBlocks(message),
        ...(options.threadId ? { thread_ts: options.threadId } : {}),
      }),
    );
  }

  /** Resolves when every pending edit has been sent: call before shutting down. */
  flush(): Promise<void> {
    return this.updates.idle();
  }

  private ref(result: { ts?: string; channel?: string }, conversation: string, threadId?: string): MessageRef {
    if (!result.ts) throw new SlackApiError('chat.postMessage', 'no_ts_in_response');
    return { platform: 'slack', conversation: result.channel ?? conversation, id: result.ts, ...(threadId ? { threadId } : {}) };
  }

  /** The WebClient has already honoured Retry-After and retried 5xx; what reaches here is final. */
  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = errorCode(error);
      this.log.error({ slackMethod: method, slackError: code }, `Slack API call ${method} failed: ${code}`);
      throw new SlackApiError(method, code, hints[code]);
    }
  }
}

const hints: Record<string, string> = {
  not_in_channel: 'invite the bot to the channel with /invite @maestro',
  channel_not_found: 'the bot cannot see this channel: invite it, or use a public channel',
  invalid_auth: 'check SLACK_BOT_TOKEN',
  not_authed: 'check SLACK_BOT_TOKEN',
  missing_scope: 'add the missing scope from manifests/slack-app.yaml and reinstall the app',
};

/** The platform's error code (`channel_not_found`) if Slack answered, else the SDK's (`slack_webapi_request_error`). */
function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown_error';
  if ('data' in error && typeof error.data === 'object' && error.data !== null && 'error' in error.data && typeof error.data.error === 'string') {
    return error.data.error;
  }
  if ('statusCode' in error && typeof error.statusCode === 'number') return `http_${error.statusCode}`;
  if ('code' in error && typeof error.code === 'string') return error.code;
  return 'unknown_error';
}
