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

/** Implemented by each chat adapter. Adapters render and transport; they decide nothing. */
export interface ChatPort {
  readonly platform: Platform;
  post(conversation: string, message: Message, options?: PostOptions): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  /** A reply in the thread of `ref`. */
  reply(ref: MessageRef, message: Message): Promise<MessageRef>;
  /** Seen only by `userId` (help, errors addressed to one person). */
  ephemeral(conversation: string, userId: string, message: Message, options?: PostOptions): Promise<void>;
}
