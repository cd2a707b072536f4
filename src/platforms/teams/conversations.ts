import type { ConversationReference } from '@microsoft/agents-activity';
import type { Redis } from 'ioredis';

/** A stored reference: enough for `continueConversationAsync` from any process. */
export type StoredReference = Partial<ConversationReference> & { conversation: ConversationReference['conversation'] };

/**
 * The conversation references of every conversation the bot is installed in or
 * addressed from, in Redis: a worker process that never received a request can
 * still post, edit and reply (it needs the serviceUrl and conversation details
 * only Teams' own requests carry). Channels are also findable by name, because
 * the catalog names Teams channels as people see them ("Maestro Incidents").
 */
export class ConversationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Stores `reference` under its channel-level conversation id, and under each of `names`. */
  async remember(reference: Partial<ConversationReference>, names: readonly string[] = []): Promise<StoredReference | undefined> {
    if (!reference.conversation?.id || !reference.serviceUrl) return undefined;
    const id = baseConversationId(reference.conversation.id);
    // The activity id belongs to one message, not to the conversation.
    const { activityId: _activityId, ...rest } = reference;
    const stored: StoredReference = { ...rest, conversation: { ...reference.conversation, id } };
    const multi = this.redis.multi().set(this.idKey(id), JSON.stringify(stored));
    for (const name of names) if (name.trim()) multi.set(this.nameKey(name), id);
    await multi.exec();
    return stored;
  }

  /** A conversation id (with or without `;messageid=`), or the name of a channel the bot has seen. */
  async find(idOrName: string): Promise<StoredReference | undefined> {
    const direct = await this.redis.get(this.idKey(baseConversationId(idOrName)));
    if (direct) return JSON.parse(direct) as StoredReference;
    const id = await this.redis.get(this.nameKey(idOrName));
    if (!id) return undefined;
    const named = await this.redis.get(this.idKey(id));
    return named ? (JSON.parse(named) as StoredReference) : undefined;
  }

  /** A deleted channel: its reference and names go. */
  async forget(channelId: string): Promise<void> {
    await this.redis.del(this.idKey(baseConversationId(channelId)));
  }

  /** What team events say of a team (its Entra group id, its name). */
  async rememberTeam(teamId: string, info: { aadGroupId?: string; name?: string }): Promise<void> {
    if (Object.keys(info).length > 0) await this.redis.set(`${this.prefix}:teams:team:${teamId}`, JSON.stringify(info));
  }

  private idKey(id: string): string {
    return `${this.prefix}:teams:conversation:${id}`;
  }

  private nameKey(name: string): string {
    // People write channel names with varying case and spacing; Teams shows them as one.
    return `${this.prefix}:teams:channel-name:${name.trim().replace(/\s+/g, ' ').toLowerCase()}`;
  }
}

/** A channel's reply chain is addressed as `<channel id>;messageid=<root id>`; this is the channel's own id. */
export function baseConversationId(id: string): string {
  const at = id.indexOf(';messageid=');
  return at === -1 ? id : id.slice(0, at);
}

/** The root message id of the reply chain a channel conversation id points into, if any. */
export function threadOf(id: string): string | undefined {
  const match = /;messageid=(\S+)$/.exec(id);
  return match?.[1];
}

/** Only channels have reply chains; personal and group chats are one flat stream. */
export function hasThreads(reference: StoredReference): boolean {
  return reference.conversation.conversationType === 'channel';
}
