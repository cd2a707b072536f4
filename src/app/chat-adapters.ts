import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../config/policy-schema.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { AuditSink } from '../core/audit.js';
import type { ChatPort } from '../core/chat-port.js';
import { type GroupsOf, NO_GROUPS } from '../core/group-lookup.js';
import type { Metrics } from '../core/metrics.js';
import type { Platform } from '../core/request.js';
import type { CommandHandler } from '../pipeline/command.js';
import type { InteractionHandler } from '../pipeline/interaction.js';
import { type PlatformConfigs, platforms } from '../platforms/index.js';
import type { EdgeIngress, PlatformRuntime, RoleGroups } from '../platforms/shared/platform.js';

/** A configured platform with its SDK half loaded. */
export interface LoadedPlatform {
  name: Platform;
  config: unknown;
  runtime: PlatformRuntime<unknown>;
}

/**
 * The SDK halves of the configured platforms, each imported only when its platform
 * is configured: Bolt and the Agents SDK cost start-up time and memory a console or
 * Teams-only bot has no use for.
 */
export async function loadPlatforms(configs: PlatformConfigs): Promise<LoadedPlatform[]> {
  const loaded: LoadedPlatform[] = [];
  for (const platform of platforms) {
    const config = (configs as Record<string, unknown>)[platform.name];
    if (config === undefined || !platform.load) continue;
    // The registry pairs each config with its own platform's runtime; only the list's element type is erased here.
    loaded.push({ name: platform.name, config, runtime: (await platform.load()) as PlatformRuntime<unknown> });
  }
  return loaded;
}

/**
 * The group memberships policy roles are granted by, on the platforms that have
 * them (Slack user groups); only the web role decides policy. Returns the lookup
 * and the refreshers' stops.
 */
export function startRoleGroups(
  loaded: readonly LoadedPlatform[],
  deps: { redis: Redis; prefix: string; log: Logger; metrics: Metrics; policy: Policy },
): { groupsOf?: GroupsOf; stops: (() => void)[] } {
  const byPlatform = new Map<string, RoleGroups>();
  for (const platform of loaded) {
    const groups = platform.runtime.roleGroups?.(platform.config, deps);
    if (groups) byPlatform.set(platform.name, groups);
  }
  if (byPlatform.size === 0) return { stops: [] };
  const stops = [...byPlatform.values()].flatMap((groups) => groups.start() ?? []);
  return { groupsOf: async (actor) => (await byPlatform.get(actor.platform)?.groupsOf(actor)) ?? NO_GROUPS, stops };
}

export interface ChatAdapterOptions {
  web: boolean;
  platforms: readonly LoadedPlatform[];
  app: Express;
  handler: CommandHandler;
  interactions: InteractionHandler;
  audit: AuditSink;
  catalog: Catalog;
  redis: Redis;
  prefix: string;
  log: Logger;
  updateIntervalMs: number;
  chats: Map<Platform, ChatPort>;
  /** Each chat counts its API calls and retries here, request-scoped replies included. */
  metrics: Metrics;
  /** Called with each adapter's stop, for shutdown. */
  onStop(stop: () => Promise<void>): void;
}

/**
 * The chat platforms: receivers on the web role; on a worker, send-only chats that
 * can edit and reply to messages another process posted — and never a connection
 * (Slack's Socket Mode) that would take commands meant for the web role. Returns the
 * routes the HTTP edge answers for them.
 */
export async function startChatAdapters(options: ChatAdapterOptions): Promise<{ edges: EdgeIngress[] }> {
  const { web, app, handler, interactions, audit, catalog, redis, prefix, log, chats, metrics, updateIntervalMs } = options;
  const edges: EdgeIngress[] = [];
  for (const platform of options.platforms) {
    if (web) {
      const receiving = await platform.runtime.receive(platform.config, { app, handler, interactions, audit, catalog, redis, prefix, log, metrics, updateIntervalMs });
      chats.set(platform.name, receiving.chat);
      options.onStop(() => receiving.stop());
      if (receiving.edge) edges.push(receiving.edge);
    } else {
      chats.set(platform.name, platform.runtime.send(platform.config, { redis, prefix, log, metrics }));
    }
  }
  return { edges };
}
