import { z } from 'zod';
import { type ChannelPlatformName, channelPlatformNames, type MemberCandidate, type RegisteredPlatform, platformNamed, platforms } from './index.js';

/**
 * The catalog's per-platform parts, built from the registered platforms: the channel
 * lists of a service (`channels: { slack: [...], teams: [...] }`), who holds a role
 * (`policy.roles.<role>: { slack: {...}, teams: {...}, console: {...} }`), and each
 * platform's own settings (`platforms: { teams: { tenants: [...] } }`).
 */

const channelList = () => z.array(z.string().min(1)).default([]);
type ChannelsShape = { [P in ChannelPlatformName]: ReturnType<typeof channelList> };
export const channelsShape = Object.fromEntries(channelPlatformNames.map((name) => [name, channelList()])) as ChannelsShape;

type RoleMembersShape = { [P in RegisteredPlatform as P['name']]: P['members']['schema'] };
export const roleMembersShape = Object.fromEntries(platforms.map((p) => [p.name, p.members.schema])) as RoleMembersShape;
export type RoleMembers = z.output<z.ZodObject<RoleMembersShape>>;

type WithSection = Extract<RegisteredPlatform, { catalog: z.ZodType }>;
type SectionsShape = { [P in WithSection as P['name']]: P['catalog'] };
/** The catalog's `platforms:` — each platform's own section, for the platforms that declare one. */
export const platformSectionsShape = Object.fromEntries(
  platforms.flatMap((p) => ('catalog' in p && p.catalog ? [[p.name, p.catalog]] : [])),
) as SectionsShape;

/** Member ids that may not be `*`, per platform that has no "anyone" (only the console's terminal user is). */
export function nonWildcardIds(members: RoleMembers): string[] {
  return platforms.filter((p) => !p.members.wildcard).flatMap((p) => idsOf(p, members));
}

/** Whether the candidate holds the role `members` describes on `platform`; an actor of no registered platform holds none. */
export function holdsMembership(platform: string, members: RoleMembers, who: MemberCandidate): boolean {
  const registered = platformNamed(platform);
  if (!registered) return false;
  // The schema parsed `members[name]` with this platform's own member schema, which is what the descriptor takes.
  const own = members[registered.name] as never;
  return (registered.members.holds as (m: unknown, w: MemberCandidate) => boolean)(own, who);
}

function idsOf(platform: RegisteredPlatform, members: RoleMembers): readonly string[] {
  return (platform.members.ids as (m: unknown) => readonly string[])(members[platform.name]);
}
