import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatPort, LongOutput, MessageRef, PostOptions } from '../../core/chat-port.js';
import { UserError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import { maskSecretValues, maskSecretsIn } from '../../core/secret-values.js';
import { renderBlocks } from './block-kit.js';
import { SlackCallMeter } from './call-meter.js';
import { shareInThread } from './file-upload.js';
import { ResponseUrl, SLACK_RESPONSE_URL_BASE } from './response-url.js';
import { UpdateCoalescer } from '../shared/update-coalescer.js';

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
  /** Where a request's response_url may point (SLACK_RESPONSE_URL_BASE); default https://hooks.slack.com/. */
  responseUrlBase?: string;
  /** Counts every call this chat makes, the WebClient's retries included: give the same meter the client's `retryConfig`. */
  meter?: SlackCallMeter;
}

/** Who made a request, where, and the response_url Slack gave it. */
export interface Requester {
  channel: string;
  userId: string;
  responseUrl?: string;
  /** The request's logger, so that what happens to its response_url is logged with the request. */
  log?: Logger;
}

/** chat.postEphemeral's answers when the bot may not post where the requester is; their response_url still reaches them. */
const MEMBERSHIP_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'user_not_in_channel', 'no_permission']);

/** Below an answer only its asker could be shown, because the bot is not in the channel. */
const PRIVATE_ANSWER_HINT = 'Only you can see this: invite the bot (/invite @maestro) to get plans and results here.';
/** The id of an answer sent through a response_url: Slack gives such a message no ts. */
const PRIVATE_ANSWER_ID = 'response_url';

/**
 * The Slack ChatPort. A MessageRef is `{ conversation: channel id, id: ts }`
 * (plus the parent ts for a threaded reply) — plain data, so a worker process
 * with only a bot token can edit a message the web process posted.
 */
/** What goes to Slack: the bot's own secrets are never in it, whoever typed them. */
const render = (message: Message) => renderBlocks(maskSecretsIn(message));

/** The message as it reads with the whole output attached: its footer says where the rest is. */
const withFooter = (message: Message, output: LongOutput): Message => ({ ...message, footer: output.footer });

export class SlackChat implements ChatPort {
  readonly platform = 'slack' as const;
  private readonly updates: UpdateCoalescer<{ ref: MessageRef; message: Message }>;
  private readonly responseUrlBase: string;
  private readonly meter: SlackCallMeter;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    options: SlackChatOptions = {},
  ) {
    this.responseUrlBase = options.responseUrlBase ?? SLACK_RESPONSE_URL_BASE;
    this.meter = options.meter ?? new SlackCallMeter(undefined);
    this.updates = new UpdateCoalescer(async (_key, { ref, message }) => {
      await this.call('chat.update', () => this.client.chat.update({ channel: ref.conversation, ts: ref.id, ...render(message) }));
    }, options.updateIntervalMs ?? 1000);
  }

  async post(conversation: string, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    const result = await this.call('chat.postMessage', () => this.postMessage(conversation, message, options));
    return this.ref(result, conversation, options.threadId);
  }

  private postMessage(conversation: string, message: Message, options: PostOptions) {
    return this.client.chat.postMessage({
      channel: conversation,
      ...render(message),
      ...(options.threadId ? { thread_ts: options.threadId } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  /** The message, then all of the output as a text file in its thread. */
  async postLong(conversation: string, message: Message, output: LongOutput, options: PostOptions = {}): Promise<MessageRef> {
    return this.attach(await this.post(conversation, withFooter(message, output), options), message, output);
  }

  /**
   * Shares the output in the thread of `ref` (Slack threads hang off the parent's ts). If
   * the upload fails (no files:write, uploads disabled), the message is put back to what
   * it said without the file, with why: it must not point at a file that is not there.
   */
  private async attach(ref: MessageRef, message: Message, output: LongOutput): Promise<MessageRef> {
    if (ref.id === PRIVATE_ANSWER_ID) return ref;
    try {
      const content = maskSecretValues(output.lines.join('\n'));
      await shareInThread(this.client, this.meter, ref.conversation, ref.threadId ?? ref.id, { filename: output.filename, title: output.filename, content });
    } catch (error) {
      const failure = this.failed('file upload', error);
      const footer = [message.footer, `The full output could not be attached: ${failure.code}${hints[failure.code] ? ` (${hints[failure.code]})` : ''}.`].filter(Boolean).join('\n');
      await this.update(ref, { ...message, footer });
    }
    return ref;
  }

  update(ref: MessageRef, message: Message): Promise<void> {
    return this.updates.submit(`${ref.conversation}/${ref.id}`, { ref, message });
  }

  async reply(ref: MessageRef, message: Message): Promise<MessageRef> {
    // A reply to a reply belongs in the same thread: Slack threads are one level deep.
    return this.post(ref.conversation, message, { threadId: ref.threadId ?? ref.id });
  }

  ephemeral(conversation: string, userId: string, message: Message, options: PostOptions = {}): Promise<void> {
    return this.sendEphemeral(conversation, userId, message, options);
  }

  /**
   * This ChatPort as seen by one request: the same in every way, except where Slack
   * refuses the bot in the requester's channel because it is not a member there. Then
   * an ephemeral for the requester, and a read-only answer, go to the request's
   * response_url; a plan or card, which must be posted for all, is refused with how to fix it.
   */
  forRequest(requester: Requester): ChatPort {
    const fallback = requester.responseUrl ? new ResponseUrl(requester.responseUrl, this.responseUrlBase, requester.log ?? this.log, this.meter) : undefined;
    const log = requester.log ?? this.log;
    return {
      platform: this.platform,
      post: (conversation, message, options = {}) =>
        conversation === requester.channel ? this.postWhereAsked(conversation, message, options, fallback, log) : this.post(conversation, message, options),
      update: (ref, message) => this.update(ref, message),
      reply: (ref, message) => this.reply(ref, message),
      postLong: async (conversation, message, output, options = {}) => {
        if (conversation !== requester.channel) return this.postLong(conversation, message, output, options);
        // Where the bot may not post, the asker alone gets the message as it reads without the file.
        const ref = await this.postWhereAsked(conversation, withFooter(message, output), options, fallback, log, message);
        return this.attach(ref, message, output);
      },
      ephemeral: (conversation, userId, message, options = {}) =>
        // The response_url reaches only the requester, and only where they asked.
        this.sendEphemeral(conversation, userId, message, options, conversation === requester.channel && userId === requester.userId ? fallback : undefined),
    };
  }

  /**
   * Posts in the channel the request came from. Where Slack refuses the bot there, a
   * read-only answer goes to the requester alone, through the response_url, saying how
   * to get answers shared (nothing edits an answer, so its ref names no message); anything
   * else is refused with a UserError before anything has run.
   */
  private async postWhereAsked(
    conversation: string,
    message: Message,
    options: PostOptions,
    fallback: ResponseUrl | undefined,
    log: Logger,
    /** What the requester alone is shown instead (the message as it reads without an attachment). */
    privately: Message = message,
  ): Promise<MessageRef> {
    try {
      return this.ref(await this.meter.call('chat.postMessage', () => this.postMessage(conversation, message, options)), conversation, options.threadId);
    } catch (error) {
      const code = errorCode(error);
      if (!MEMBERSHIP_ERRORS.has(code)) throw this.failed('chat.postMessage', error);
      const footer = [privately.footer, PRIVATE_ANSWER_HINT].filter(Boolean).join('\n');
      if (options.answer && fallback && (await fallback.ephemeral(render({ ...privately, footer })))) {
        log.info({ slackMethod: 'chat.postMessage', slackError: code }, `chat.postMessage refused (${code}); answered through the response_url`);
        return { platform: 'slack', conversation, id: PRIVATE_ANSWER_ID };
      }
      log.info({ slackMethod: 'chat.postMessage', slackError: code }, `chat.postMessage refused (${code}); the requester is told to invite the bot`);
      throw new UserError(`The bot cannot post in this channel (${code}): invite it with /invite @maestro to get plans and results here. Nothing was run.`, 'slack_not_a_member');
    }
  }

  private async sendEphemeral(conversation: string, userId: string, message: Message, options: PostOptions, fallback?: ResponseUrl): Promise<void> {
    const rendered = render(message);
    try {
      await this.meter.call('chat.postEphemeral', () =>
        this.client.chat.postEphemeral({
          channel: conversation,
          user: userId,
          ...rendered,
          ...(options.threadId ? { thread_ts: options.threadId } : {}),
        }),
      );
    } catch (error) {
      const code = errorCode(error);
      if (fallback && MEMBERSHIP_ERRORS.has(code) && (await fallback.ephemeral(rendered))) {
        this.log.info({ slackMethod: 'chat.postEphemeral', slackError: code }, `chat.postEphemeral refused (${code}); answered through the response_url`);
        return;
      }
      throw this.failed('chat.postEphemeral', error);
    }
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
      return await this.meter.call(method, run);
    } catch (error) {
      throw this.failed(method, error);
    }
  }

  /** Logs a final failure with Slack's error code and what to do about it; the error to throw. */
  private failed(method: string, error: unknown): SlackApiError {
    const code = errorCode(error);
    this.log.error({ slackMethod: method, slackError: code, hint: hints[code] }, `Slack API call ${method} failed: ${code}`);
    return new SlackApiError(method, code, hints[code]);
  }
}

const hints: Record<string, string> = {
  not_in_channel: 'invite the bot to the channel with /invite @maestro',
  channel_not_found: 'the bot cannot see this channel: invite it, or use a public channel',
  no_permission: 'the bot may not post in this conversation: invite it with /invite @maestro',
  invalid_auth: 'check SLACK_BOT_TOKEN',
  not_authed: 'check SLACK_BOT_TOKEN',
  missing_scope: 'add the missing scope from manifests/slack-app.yaml and reinstall the app',
};

/** The platform's error code (`channel_not_found`) if Slack answered, else the SDK's (`slack_webapi_request_error`). */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown_error';
  if ('data' in error && typeof error.data === 'object' && error.data !== null && 'error' in error.data && typeof error.data.error === 'string') {
    return error.data.error;
  }
  if ('statusCode' in error && typeof error.statusCode === 'number') return `http_${error.statusCode}`;
  if ('code' in error && typeof error.code === 'string') return error.code;
  return 'unknown_error';
}
