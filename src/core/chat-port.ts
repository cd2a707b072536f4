import type { Message } from './message.js';
import type { Platform } from './request.js';

/**
 * A posted message, serialisable so that a worker process can edit a message it
 * did not post (it is stored in Redis and in job data).
 */
export interface MessageRef {
  platform: Platform;
  conversation: string;
  id: string;
  threadId?: string;
}

export interface PostOptions {
  threadId?: string;
  /**
   * A read-only command's answer, which nothing will edit or reply to: where the bot
   * may not post, the platform may show it to the requester alone instead.
   */
  answer?: boolean;
}

/**
 * Output too long for a message (a log tail of thousands of lines). The message that
 * goes with it shows what fits; a platform that can carry the rest does so its own way.
 */
export interface LongOutput {
  /** A file name for platforms that attach files: `maestro-orchestrator-prod.log`. */
  filename: string;
  /** Every line, oldest first, already redacted. */
  lines: string[];
  /** Replaces the message's footer where the whole output is carried (the cut-to-fit note no longer holds). */
  footer: string;
}

/** Implemented by each chat adapter. Adapters render and transport; they decide nothing. */
export interface ChatPort {
  readonly platform: Platform;
  post(conversation: string, message: Message, options?: PostOptions): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  /** A reply in the thread of `ref`. */
  reply(ref: MessageRef, message: Message): Promise<MessageRef>;
  /** Seen only by `userId` (help, errors addressed to one person). */
  ephemeral(conversation: string, userId: string, message: Message, options?: PostOptions): Promise<void>;
  /**
   * Posts `message` with all of `output` (Slack: a file in the thread; Teams: a card paged
   * with older/newer buttons; console: every line). Without it, `post(message)` shows what fits.
   */
  postLong?(conversation: string, message: Message, output: LongOutput, options?: PostOptions): Promise<MessageRef>;
}
