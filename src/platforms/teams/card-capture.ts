import type { ChatPort, MessageRef, PostOptions } from '../../core/chat-port.js';
import type { Message } from '../../core/message.js';

/**
 * The ChatPort for one `adaptiveCard/action` invoke. Teams replaces the pressed
 * card with the card in the invoke response, so edits of that card made while the
 * press is handled are kept for the response rather than sent as a separate PUT
 * that the response would overwrite anyway. Everything else goes through.
 */
export class CardCapture implements ChatPort {
  readonly platform = 'teams' as const;
  latest: Message | undefined;

  constructor(
    private readonly inner: ChatPort,
    private readonly cardId: string | undefined,
  ) {}

  post(conversation: string, message: Message, options?: PostOptions): Promise<MessageRef> {
    return this.inner.post(conversation, message, options);
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    if (this.cardId && ref.id === this.cardId) {
      this.latest = message;
      return;
    }
    await this.inner.update(ref, message);
  }

  reply(ref: MessageRef, message: Message): Promise<MessageRef> {
    return this.inner.reply(ref, message);
  }

  ephemeral(conversation: string, userId: string, message: Message, options?: PostOptions): Promise<void> {
    return this.inner.ephemeral(conversation, userId, message, options);
  }
}
