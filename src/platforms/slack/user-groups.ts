import type { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Policy } from '../../config/catalog-schema.js';
import { type GroupLookup, NO_GROUPS } from '../../core/group-lookup.js';
import type { Actor } from '../../core/request.js';
import { errorCode } from './slack-chat.js';

/** How long a group's members stay in Redis without a refresh: past it, Slack is asked again, in the request. */
export const GROUP_TTL_MS = 5 * 60_000;
/** How often the members of every catalog group are fetched again in the background. */
export const GROUP_REFRESH_MS = 60_000;

/** usergroups.users.list's answer (https://api.slack.com/methods/usergroups.users.list): `{ ok, users: [user id, ...] }`. */
const UsersListAnswer = z.object({ users: z.array(z.string()) });
const CachedMembers = z.array(z.string());

export interface SlackUserGroupsOptions {
  client: webApi.WebClient;
  redis: Redis;
  prefix: string;
  /** The group ids the catalog grants roles to; no other group can matter. */
  groups: readonly string[];
  log: Logger;
  ttlMs?: number;
  refreshMs?: number;
}

/**
 * Which of the catalog's Slack user groups a user is in. Slack has no "groups of a
 * user" call, so each catalog group's members are listed (usergroups.users.list),
 * kept in Redis for every replica, and listed again in the background well before
 * they expire. A group Slack cannot list grants nothing, and the lookup says why.
 */
export class SlackUserGroups {
  private readonly ttlMs: number;
  private readonly refreshMs: number;
  /** One request to Slack per group at a time, however many commands wait on it. */
  private readonly inFlight = new Map<string, Promise<readonly string[]>>();

  constructor(private readonly options: SlackUserGroupsOptions) {
    this.ttlMs = options.ttlMs ?? GROUP_TTL_MS;
    this.refreshMs = options.refreshMs ?? GROUP_REFRESH_MS;
  }

  /** The catalog groups `actor` is in; only Slack users are in Slack user groups. */
  async groupsOf(actor: Actor): Promise<GroupLookup> {
    const { groups } = this.options;
    if (actor.platform !== 'slack' || groups.length === 0) return NO_GROUPS;
    const userId = actor.id;
    const cached = await this.options.redis.mget(...groups.map((g) => this.key(g)));
    const held: string[] = [];
    const failed: string[] = [];
    await Promise.all(
      groups.map(async (group, i) => {
        try {
          const members = cached[i] ? CachedMembers.parse(JSON.parse(cached[i])) : await this.fetch(group);
          if (members.includes(userId)) held.push(group);
        } catch (error) {
          failed.push(`${group}: ${errorCode(error)}`);
        }
      }),
    );
    if (failed.length === 0) return { groups: held };
    this.options.log.warn({ userId, failed }, `Slack user-group lookup failed (${failed.join(', ')}); those groups grant no role`);
    return {
      groups: held,
      failure: `the Slack user-group lookup failed for ${failed.join(', ')}, so no role was granted through those groups; try again in a minute`,
    };
  }

  /**
   * Lists every catalog group again now and then every `refreshMs`, in one replica at
   * a time (a Redis lock per round). Returns the function that stops it.
   */
  start(): () => void {
    // A round that cannot reach Redis is tried again next time; it must not become an unhandled rejection.
    const round = () =>
      void this.refreshRound().catch((error: unknown) => this.options.log.warn({ err: error }, 'Slack user-group refresh round failed'));
    round();
    const timer = setInterval(round, this.refreshMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** One background round; a group that fails keeps its cached members until they expire. */
  async refreshRound(): Promise<void> {
    const claimed = await this.options.redis.set(`${this.options.prefix}:slack:usergroups:refreshing`, '1', 'PX', Math.max(1, Math.floor(this.refreshMs * 0.9)), 'NX');
    if (claimed !== 'OK') return;
    await Promise.all(
      this.options.groups.map((group) =>
        this.fetch(group).catch((error: unknown) =>
          this.options.log.warn({ group, slackError: errorCode(error) }, `could not refresh the members of Slack user group ${group}`),
        ),
      ),
    );
  }

  private fetch(group: string): Promise<readonly string[]> {
    const running = this.inFlight.get(group);
    if (running) return running;
    const fetching = this.list(group).finally(() => this.inFlight.delete(group));
    this.inFlight.set(group, fetching);
    return fetching;
  }

  private async list(group: string): Promise<readonly string[]> {
    const answer = UsersListAnswer.parse(await this.options.client.usergroups.users.list({ usergroup: group }));
    await this.options.redis.set(this.key(group), JSON.stringify(answer.users), 'PX', this.ttlMs);
    return answer.users;
  }

  private key(group: string): string {
    return `${this.options.prefix}:slack:usergroup:${group}`;
  }
}

/** Every Slack user group the catalog's roles name, once each. */
export function catalogSlackGroups(policy: Policy): string[] {
  return [...new Set(Object.values(policy.roles).flatMap((members) => members.slack?.groups ?? []))];
}
