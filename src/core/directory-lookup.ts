import type { Conversation, Platform } from './request.js';

/**
 * What the policy asks a platform's channel directory before it decides (the decision
 * itself is synchronous and pure). A platform without a directory answers `undefined`
 * and keeps matching channels by id or by the name its requests carry.
 */

/** Each channel name asked about, with the ids of the channels that now have it. */
export type ChannelIds = ReadonlyMap<string, readonly string[]>;

export type ChannelIdsOf = (platform: Platform, names: readonly string[]) => Promise<ChannelIds | undefined>;

/** Other ids the conversation's team is known by (Teams: its AAD group id); none when the platform knows none. */
export type TeamAliasesOf = (conversation: Conversation) => Promise<readonly string[]>;
