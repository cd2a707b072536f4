import type { ConversationReference } from '@microsoft/agents-activity';
import type { Redis } from 'ioredis';
import type { ChannelDirectory } from '../shared/platform.js';

/** A stored reference: enough for `continueConversationAsync` from any process. */
export type StoredReference = Partial<ConversationReference> & { conversation: ConversationReference['conversation'] };

/** What the bot learned about a team from Teams' events: `channelData.team` of an install or team update. */
export interface TeamFacts {
  /** The team's Microsoft 365 group id (a GUID): how Graph and the admin centre name the team. */
  aadGroupId?: string;
  name?: string;
}

/**
 * The conversation references of every conversation the bot is installed in or
 * addressed from, in Redis: a worker process that never received a request can
 * still post, edit and reply (it needs the serviceUrl and conversation details
 * only Teams' own requests carry). Teams sends a channel's id with every message,
 * never its name, so the store is also the directory from names — as the catalog
 * may write them ("Maestro Incidents") — to the ids of the channels that have them
 * now: learned at install (the team's channel list) and kept current by channel
 * created / renamed / deleted events.
 */
export class ConversationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Stores `reference` under its channel-level conversation id. `names`, when given,
   * become the channel's names, replacing the ones it had (a rename drops the old
   * name); none leaves them as they are, since messages never carry a name.
   */
  async remember(reference: Partial<ConversationReference>, names: readonly string[] = []): Promise<StoredReference | undefined> {
    if (!reference.conversation?.id || !reference.serviceUrl) return undefined;
    const id = baseConversationId(reference.conversation.id);
    // The activity id belongs to one message, not to the conversation.
    const { activityId: _activityId, ...rest } = reference;
    const stored: StoredReference = { ...rest, conversation: { ...reference.conversation, id } };
    const given = [...new Set(names.map(normaliseName).filter((n) => n !== ''))];
    const multi = this.redis.multi().set(this.idKey(id), JSON.stringify(stored));
    if (given.length > 0) {
      const previous = await this.redis.smembers(this.namesKey(id));
      for (const name of previous) if (!given.includes(name)) multi.srem(this.idsKey(name), id);
      multi.del(this.namesKey(id)).sadd(this.namesKey(id), ...given);
      for (const name of given) multi.sadd(this.idsKey(name), id);
    }
    await multi.exec();
    return stored;
  }

  /** A deleted channel: its reference and its names are gone, so no name resolves to it any more. */
  async forget(channelId: string): Promise<void> {
    const id = baseConversationId(channelId);
    const names = await this.redis.smembers(this.namesKey(id));
    const multi = this.redis.multi().del(this.idKey(id), this.namesKey(id));
    for (const name of names) multi.srem(this.idsKey(name), id);
    await multi.exec();
  }

  /** The ids of the channels now called `name`, sorted; none when no channel the bot knows is. */
  async idsNamed(name: string): Promise<string[]> {
    const key = normaliseName(name);
    if (key === '') return [];
    const ids = await this.redis.smembers(this.idsKey(key));
    if (ids.length > 0) return ids.sort();
    // A name learned before channels were kept by id (one id per name), until Teams tells the bot of the channel again.
    const legacy = await this.redis.get(`${this.prefix}:teams:channel-name:${key}`);
    return legacy ? [legacy] : [];
  }

  /**
   * A conversation id (with or without `;messageid=`), or the name of a channel the
   * bot has seen. Two channels with one name (in two teams) resolve to the first id
   * in sort order, so the choice is the same in every process.
   */
  async find(idOrName: string): Promise<StoredReference | undefined> {
    const direct = await this.redis.get(this.idKey(baseConversationId(idOrName)));
    if (direct) return JSON.parse(direct) as StoredReference;
    const [id] = await this.idsNamed(idOrName);
    if (!id) return undefined;
    const named = await this.redis.get(this.idKey(id));
    return named ? (JSON.parse(named) as StoredReference) : undefined;
  }

  /** What an install or team event said about a team; fields it did not say are kept. */
  async rememberTeam(teamId: string, facts: TeamFacts): Promise<void> {
    const known = (await this.teamOf(teamId)) ?? {};
    const merged: TeamFacts = { ...known, ...(facts.aadGroupId ? { aadGroupId: facts.aadGroupId } : {}), ...(facts.name ? { name: facts.name } : {}) };
    await this.redis.set(this.teamKey(teamId), JSON.stringify(merged));
  }

  async teamOf(teamId: string): Promise<TeamFacts | undefined> {
    const raw = await this.redis.get(this.teamKey(teamId));
    return raw ? (JSON.parse(raw) as TeamFacts) : undefined;
  }

  private idKey(id: string): string {
    return `${this.prefix}:teams:conversation:${id}`;
  }

  /** The set of ids of the channels called `name` (normalised). */
  private idsKey(name: string): string {
    return `${this.prefix}:teams:channel-ids:${name}`;
  }

  /** The set of (normalised) names of channel `id`. */
  private namesKey(id: string): string {
    return `${this.prefix}:teams:channel-names:${id}`;
  }

  private teamKey(teamId: string): string {
    return `${this.prefix}:teams:team:${teamId}`;
  }
}

/** The store as the policy's directory (`PlatformRuntime.channelDirectory`): names to ids, teams to their AAD group ids. */
export function channelDirectoryOf(store: ConversationStore): ChannelDirectory {
  return {
    idsNamed: (name) => store.idsNamed(name),
    teamAliases: async (teamId) => {
      const aadGroupId = (await store.teamOf(teamId))?.aadGroupId;
      return aadGroupId ? [aadGroupId] : [];
    },
  };
}

/** People write channel names with varying case, spacing and a leading '#'; Teams shows them as one. */
export function normaliseName(name: string): string {
  return name.trim().replace(/^#\s*/, '').replace(/\s+/g, ' ').toLowerCase();
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
