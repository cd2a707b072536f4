import type { Logger } from 'pino';
import type { ChatPort, MessageRef } from '../core/chat-port.js';
import type { Message } from '../core/message.js';
import type { Conversation } from '../core/request.js';
import type { ChatLookup } from './card-sync.js';
import type { ChannelLimiter } from './channel-limiter.js';
import type { IncidentCards } from './incident-cards.js';
import { platformNames } from '../platforms/index.js';
import { limitedChat } from './limited-chat.js';

export interface IncidentThread {
  conversation: Conversation;
  threadId?: string;
  chat: ChatPort;
}

/**
 * Where an automatic change about an incident is said: the thread of its card on the
 * first connected platform in the registry's order — not the first card posted, which is
 * whichever platform answered first and so differs between runs and replicas. An incident with no card anywhere (no channel, no
 * platform connected) still pages; what would be said goes to the log. New
 * messages there take the channel's slot of `limiter`, as the cards do.
 */
export async function incidentThread(id: string, cards: IncidentCards, chats: ChatLookup, limiter: ChannelLimiter, log: Logger): Promise<IncidentThread> {
  const order = (platform: string) => platformNames.indexOf(platform as (typeof platformNames)[number]);
  const byPlatform = (await cards.cards(id)).sort((a, b) => order(a.platform) - order(b.platform));
  for (const card of byPlatform) {
    const chat = card.ref ? chats(card.platform) : undefined;
    if (!chat || !card.ref) continue;
    return {
      conversation: { platform: card.platform, id: card.ref.conversation, name: card.channel },
      threadId: card.ref.threadId ?? card.ref.id,
      chat: limitedChat(chat, limiter),
    };
  }
  return { conversation: { platform: 'console', id: 'maestro-bot', name: 'no incident thread' }, chat: logOnly(log.child({ incident: id })) };
}

/** A command's text with `value` as one word, whatever quotes or backslashes it holds (see src/core/tokenize.ts). */
export function quoted(value: string): string {
  return `"${value.replace(/[\\"“”]/g, (c) => `\\${c}`)}"`;
}

function logOnly(log: Logger): ChatPort {
  let n = 0;
  const said = async (message: Message): Promise<MessageRef> => {
    log.info({ title: message.title, text: message.text }, 'automatic change about an incident without a card');
    n += 1;
    return { platform: 'console', conversation: 'maestro-bot', id: `log-${n}` };
  };
  return {
    platform: 'console',
    post: (_conversation, message) => said(message),
    update: async (_ref, message) => void (await said(message)),
    reply: (_ref, message) => said(message),
    ephemeral: async (_conversation, _user, message) => void (await said(message)),
  };
}
