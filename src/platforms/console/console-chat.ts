import type { Writable } from 'node:stream';
import type { ChatPort, LongOutput, MessageRef, PostOptions } from '../../core/chat-port.js';
import type { Message } from '../../core/message.js';
import { maskSecretsIn } from '../../core/secret-values.js';
import { progressBar, renderText as renderPlain } from './render.js';

/** What is printed: the bot's own secrets are never in it, whoever typed them. */
const renderText = (message: Message) => renderPlain(maskSecretsIn(message));

/**
 * The console's ChatPort: every post, edit and reply is printed. An edit that only
 * moves a progress bar prints just the bar, so a rollout reads as a short log.
 */
export class ConsoleChat implements ChatPort {
  readonly platform = 'console' as const;
  private next = 1;
  private readonly shown = new Map<string, Message>();

  constructor(private readonly out: Writable) {}

  async post(conversation: string, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    const ref: MessageRef = { platform: 'console', conversation, id: String(this.next++), threadId: options.threadId };
    this.shown.set(ref.id, message);
    this.print(renderText(message));
    return ref;
  }

  /** A terminal scrolls: every line is printed, and the note about lines cut to fit no longer holds. */
  postLong(conversation: string, message: Message, output: LongOutput, options: PostOptions = {}): Promise<MessageRef> {
    const { footer: _cut, ...rest } = message;
    return this.post(conversation, { ...rest, code: output.lines.join('\n') }, options);
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    const before = this.shown.get(ref.id);
    this.shown.set(ref.id, message);
    if (before && onlyProgressChanged(before, message)) {
      if (message.progress) this.print(`  ${progressBar(message.progress)}`);
      return;
    }
    this.print(renderText(message));
  }

  async reply(ref: MessageRef, message: Message): Promise<MessageRef> {
    const reply: MessageRef = { platform: 'console', conversation: ref.conversation, id: String(this.next++), threadId: ref.id };
    this.shown.set(reply.id, message);
    this.print(renderText(message));
    return reply;
  }

  async ephemeral(_conversation: string, _userId: string, message: Message): Promise<void> {
    this.print(renderText(message));
  }

  private print(text: string): void {
    this.out.write(`${text}\n`);
  }
}

function onlyProgressChanged(a: Message, b: Message): boolean {
  const { progress: _a, ...restA } = a;
  const { progress: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}
