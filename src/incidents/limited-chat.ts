import type { ChatPort } from '../core/chat-port.js';
import type { ChannelLimiter } from './channel-limiter.js';

/**
 * A ChatPort whose new messages (posts and thread replies) wait for the channel's
 * slot: what an automatic change says in an incident thread lands in an alert
 * channel, and in a storm it must queue behind the cards like every other post.
 * Edits and ephemeral answers are not new channel messages and pass straight on.
 */
export function limitedChat(chat: ChatPort, limiter: ChannelLimiter): ChatPort {
  return {
    platform: chat.platform,
    post: async (conversation, message, options) => {
      await limiter.take(chat.platform, conversation);
      return chat.post(conversation, message, options);
    },
    update: (ref, message) => chat.update(ref, message),
    reply: async (ref, message) => {
      await limiter.take(chat.platform, ref.conversation);
      return chat.reply(ref, message);
    },
    ephemeral: (conversation, userId, message, options) => chat.ephemeral(conversation, userId, message, options),
  };
}
