import type { Logger } from 'pino';
import type { ChatPort, MessageRef } from '../core/chat-port.js';
import type { Message } from '../core/message.js';
import type { Platform } from '../core/request.js';
import type { QueuedJobData } from './job-data.js';
import { ProgressEditor } from './progress-editor.js';

export type ChatLookup = (platform: Platform) => ChatPort | undefined;

/**
 * One job's voice in chat: edits its message (throttled) and replies in its thread.
 * Chat trouble is logged, never thrown: a Slack outage must not fail a rollback.
 */
export class JobReporter {
  private readonly editor: ProgressEditor;

  private constructor(
    private readonly chat: ChatPort | undefined,
    private readonly ref: MessageRef | undefined,
    intervalMs: number,
    private readonly log: Logger,
  ) {
    this.editor = new ProgressEditor((message) => this.update(message), intervalMs, log);
  }

  /**
   * Uses the job's message, or posts one when the job has none yet; `saveRef` keeps
   * the posted ref with the job so that a resumed job edits the same message.
   */
  static async open(
    chats: ChatLookup,
    data: QueuedJobData,
    first: Message,
    options: { intervalMs: number; log: Logger; saveRef: (ref: MessageRef) => Promise<void> },
  ): Promise<JobReporter> {
    const { log } = options;
    const platform = data.messageRef?.platform ?? data.conversation?.platform;
    const chat = platform ? chats(platform) : undefined;
    if (platform && !chat) log.warn({ platform }, 'no chat adapter for the job; its messages are only logged');
    let ref = data.messageRef;
    if (!ref && chat && data.conversation) {
      try {
        ref = await chat.post(data.conversation.id, first, data.threadId ? { threadId: data.threadId } : {});
        await options.saveRef(ref);
      } catch (error) {
        log.warn({ err: error }, 'could not post the job message');
      }
    }
    const reporter = new JobReporter(chat, ref, options.intervalMs, log);
    if (data.messageRef) reporter.progress(first);
    return reporter;
  }

  /** The job's latest state; sent when the throttle allows, replaced by any later state. */
  progress(message: Message): void {
    this.editor.push(message);
  }

  /** The last state of the job's message for this run, plus (for an outcome) a reply in its thread. */
  async finish(final: Message, reply?: Message): Promise<void> {
    await this.editor.finish(final).catch((error: unknown) => this.log.warn({ err: error }, 'final edit failed'));
    if (reply) await this.reply(reply);
  }

  async reply(message: Message): Promise<void> {
    if (!this.chat || !this.ref) {
      this.log.info({ message }, 'job reply with nowhere to go');
      return;
    }
    try {
      await this.chat.reply(this.ref, message);
    } catch (error) {
      this.log.warn({ err: error, title: message.title }, 'job reply failed');
    }
  }

  private async update(message: Message): Promise<void> {
    if (this.chat && this.ref) await this.chat.update(this.ref, message);
  }
}
