import type { ChannelIdsOf, TeamAliasesOf } from '../core/directory-lookup.js';
import type { ChannelDirectory, PlatformDeps } from '../platforms/shared/platform.js';
import type { LoadedPlatform } from './chat-adapters.js';

/**
 * The channel directories of the platforms that keep one (Teams: its requests carry
 * channel ids, never names), as the two lookups the policy makes before it decides.
 * A platform without a directory is answered `undefined`, and its channels keep
 * matching by id or by the name its requests carry (Slack's).
 */
export function channelDirectories(
  loaded: readonly LoadedPlatform[],
  deps: PlatformDeps,
): { channelIdsOf?: ChannelIdsOf; teamAliasesOf?: TeamAliasesOf } {
  const byPlatform = new Map<string, ChannelDirectory>();
  for (const platform of loaded) {
    const directory = platform.runtime.channelDirectory?.(platform.config, deps);
    if (directory) byPlatform.set(platform.name, directory);
  }
  if (byPlatform.size === 0) return {};
  return directoryLookups(byPlatform);
}

/** The policy's lookups over directories by platform name. */
export function directoryLookups(byPlatform: ReadonlyMap<string, ChannelDirectory>): { channelIdsOf: ChannelIdsOf; teamAliasesOf: TeamAliasesOf } {
  return {
    channelIdsOf: async (platform, names) => {
      const directory = byPlatform.get(platform);
      if (!directory) return undefined;
      return new Map(await Promise.all(names.map(async (name) => [name, await directory.idsNamed(name)] as const)));
    },
    teamAliasesOf: async (conversation) => {
      const directory = byPlatform.get(conversation.platform);
      return directory && conversation.teamId ? directory.teamAliases(conversation.teamId) : [];
    },
  };
}
