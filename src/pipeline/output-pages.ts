import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChatPort, LongOutput, MessageRef, PostOptions } from '../core/chat-port.js';
import type { Message } from '../core/message.js';
import type { InteractionRequest } from '../core/request.js';
import { BUTTON } from './buttons.js';
import type { CommandResult } from './command-result.js';

/** About what a card's code block holds and is still read; a page never has more. */
export const PAGE_LINES = 40;
export const PAGE_CHARS = 6000;
/** How long older/newer keep working on a card. */
const TTL_SECONDS = 24 * 60 * 60;

/** What a paged card is: kept in Redis under the opaque id its buttons carry. */
interface PagedOutput {
  conversation: string;
  message: Message;
  lines: string[];
  /** 0 is the newest page (the last lines), 1 the one before it, … */
  page: number;
  ref?: MessageRef;
}

/** Line ranges [start, end) of each page, newest first: the last lines that fit, then the ones before them. */
export function pageRanges(lines: readonly string[], maxLines = PAGE_LINES, maxChars = PAGE_CHARS): [number, number][] {
  const ranges: [number, number][] = [];
  let end = lines.length;
  while (end > 0) {
    let start = end;
    let size = 0;
    while (start > 0 && end - start < maxLines && (start === end || size + lines[start - 1]!.length + 1 <= maxChars)) {
      size += lines[start - 1]!.length + 1;
      start -= 1;
    }
    ranges.push([start, end]);
    end = start;
  }
  return ranges;
}

const EXPIRED = 'These log pages have expired or belong to another conversation; run the command again.';

/**
 * A long output shown a page at a time on a card, with Older / Newer buttons, for chats
 * that cannot attach a file. The buttons carry only an opaque id; the lines and the page
 * shown live in Redis, as every other button's state does.
 */
export class OutputPages {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Posts the newest page of `output` with `message`, and keeps the rest for the buttons. */
  async post(chat: ChatPort, conversation: string, message: Message, output: LongOutput, options: PostOptions = {}): Promise<MessageRef> {
    const id = `o${randomBytes(12).toString('base64url')}`;
    const state: PagedOutput = { conversation, message, lines: output.lines, page: 0 };
    await this.save(id, state);
    const ref = await chat.post(conversation, pageMessage(id, state), options);
    await this.save(id, { ...state, ref });
    return ref;
  }

  /** A press of Older or Newer: the card shows the next page that way. */
  async turn(request: InteractionRequest, chat: ChatPort, direction: 'older' | 'newer'): Promise<CommandResult> {
    if (!/^o[A-Za-z0-9_-]{16}$/.test(request.value)) return { kind: 'failed', error: EXPIRED };
    const raw = await this.redis.get(this.key(request.value));
    const state = raw ? (JSON.parse(raw) as PagedOutput) : undefined;
    if (!state?.ref || state.conversation !== request.conversation.id) return { kind: 'failed', error: EXPIRED };
    const last = pageRanges(state.lines).length - 1;
    const page = Math.min(last, Math.max(0, state.page + (direction === 'older' ? 1 : -1)));
    const next = { ...state, page };
    await this.save(request.value, next);
    await chat.update(state.ref, pageMessage(request.value, next));
    return { kind: 'answered' };
  }

  private async save(id: string, state: PagedOutput): Promise<void> {
    await this.redis.set(this.key(id), JSON.stringify(state), 'EX', TTL_SECONDS);
  }

  private key(id: string): string {
    return `${this.prefix}:output-pages:${id}`;
  }
}

/** The card for one page: its lines, where they are in the whole, and the buttons that lead on. */
function pageMessage(id: string, state: PagedOutput): Message {
  const ranges = pageRanges(state.lines);
  const [start, end] = ranges[state.page] ?? [0, 0];
  const actions = [
    ...(state.page < ranges.length - 1 ? [{ id: BUTTON.outputOlder, label: 'Older', style: 'default' as const, value: id }] : []),
    ...(state.page > 0 ? [{ id: BUTTON.outputNewer, label: 'Newer', style: 'default' as const, value: id }] : []),
  ];
  return {
    ...state.message,
    code: state.lines.slice(start, end).join('\n'),
    footer: `Lines ${start + 1}–${end} of ${state.lines.length} (page ${ranges.length - state.page} of ${ranges.length}, oldest first).`,
    ...(actions.length > 0 ? { actions } : {}),
  };
}
