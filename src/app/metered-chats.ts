import type { ChatPort } from '../core/chat-port.js';
import type { Metrics } from '../core/metrics.js';
import type { Platform } from '../core/request.js';

type Method = 'post' | 'update' | 'reply' | 'ephemeral';

function metered(chat: ChatPort, metrics: Metrics): ChatPort {
  const count = async <T>(method: Method, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      metrics.chatCalls.inc({ platform: chat.platform, method, outcome: 'ok' });
      return result;
    } catch (error) {
      metrics.chatCalls.inc({ platform: chat.platform, method, outcome: 'error' });
      throw error;
    }
  };
  return {
    platform: chat.platform,
    post: (conversation, message, options) => count('post', () => chat.post(conversation, message, options)),
    update: (ref, message) => count('update', () => chat.update(ref, message)),
    reply: (ref, message) => count('reply', () => chat.reply(ref, message)),
    ephemeral: (conversation, userId, message, options) => count('ephemeral', () => chat.ephemeral(conversation, userId, message, options)),
  };
}

/** The chats the bot posts alerts, job progress and verdicts through, each call counted by platform, method and outcome. */
export class MeteredChats extends Map<Platform, ChatPort> {
  constructor(private readonly metrics: Metrics) {
    super();
  }

  override set(platform: Platform, chat: ChatPort): this {
    return super.set(platform, metered(chat, this.metrics));
  }
}
