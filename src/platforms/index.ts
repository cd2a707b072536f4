import type { z } from 'zod';
import { consolePlatform } from './console/platform.js';
import { slackPlatform } from './slack/platform.js';
import { teamsPlatform } from './teams/platform.js';

/**
 * The registered platforms, one line each: adding a platform is its folder and a
 * line here. Everything that names platforms — the `Platform` union, the catalog's
 * channel and role fragments, policy rules' `platforms:`, the card platforms, the
 * env schema — is derived from this list.
 */
export const platforms = [
  slackPlatform,
  teamsPlatform,
  consolePlatform,
] as const;

export type RegisteredPlatform = (typeof platforms)[number];
export type PlatformName = RegisteredPlatform['name'];
type WithChannels = Extract<RegisteredPlatform, { channels: true }>;
type WithCards = Extract<RegisteredPlatform, { alertCards: true }>;
/** The platforms the catalog lists channels on. */
export type ChannelPlatformName = WithChannels['name'];
/** The platforms incident cards are posted on. */
export type CardPlatformName = WithCards['name'];

export const platformNames = platforms.map((p) => p.name) as [PlatformName, ...PlatformName[]];
export const channelPlatformNames: readonly ChannelPlatformName[] = platforms.filter((p): p is WithChannels => p.channels).map((p) => p.name);
export const cardPlatformNames: readonly CardPlatformName[] = platforms.filter((p): p is WithCards => p.alertCards).map((p) => p.name);

export type { MemberCandidate } from './shared/platform.js';

export function isChannelPlatform(name: string): name is ChannelPlatformName {
  return (channelPlatformNames as readonly string[]).includes(name);
}

export function platformNamed(name: string): RegisteredPlatform | undefined {
  return platforms.find((p) => p.name === name);
}

/** "Slack nor Teams", "Slack, Teams or Mattermost": for sentences about the channel platforms. */
export function channelPlatformTitles(conjunction: string): string {
  const titles = platforms.filter((p) => p.channels).map((p) => p.title);
  return titles.length < 2 ? titles.join('') : `${titles.slice(0, -1).join(', ')} ${conjunction} ${titles.at(-1)}`;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every platform's variables, merged into the bot's env schema (src/app/app-env.ts). */
export const platformEnvShape = Object.assign({}, ...platforms.map((p) => p.env)) as UnionToIntersection<RegisteredPlatform['env']>;
type PlatformEnv = z.output<z.ZodObject<typeof platformEnvShape>>;

type ConfigOf<P> = P extends { configFrom(env: never): infer C } ? Exclude<C, undefined> : never;
/** The configured platforms' configs, by name; a platform that is not configured is absent. */
export type PlatformConfigs = { [P in RegisteredPlatform as P['name']]?: ConfigOf<P> };

/** Each platform's config from the checked env, in the list's order, so that the first refusal is the same every time. */
export function platformConfigsFrom(env: PlatformEnv): PlatformConfigs {
  const configs: Record<string, unknown> = {};
  for (const platform of platforms) {
    const config = (platform.configFrom as (env: PlatformEnv) => unknown)(env);
    if (config !== undefined) configs[platform.name] = config;
  }
  return configs as PlatformConfigs;
}
