import { z } from 'zod';
import type { Catalog } from '../../config/catalog-schema.js';
import { definePlatform } from '../shared/platform.js';
import { TeamsEnvShape, teamsConfigFrom } from './config.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Teams' thread ids: a team (= its General channel) or a channel, `19:…@thread.tacv2` (`@thread.skype` for old teams). */
const THREAD_ID = /^19:[^\s@]+@thread\.(tacv2|skype)$/;

const ids = z.array(z.string().min(1)).default([]);
// Entra writes GUIDs in lower case; an operator may paste them in upper case.
const tenantId = z
  .string()
  .regex(GUID, 'must be a tenant id (a GUID: Microsoft Entra admin center → Overview → Tenant ID)')
  .transform((g) => g.toLowerCase());
const teamId = z
  .string()
  .refine((id) => THREAD_ID.test(id) || GUID.test(id), "must be a team id (19:…@thread.tacv2, from the team's \"Get link to team\") or the team's AAD group id (a GUID)")
  .transform((id) => (GUID.test(id) ? id.toLowerCase() : id));

/**
 * Who holds a role in Teams: users by Entra object id, everyone in a team (by its thread
 * id, or its AAD group id), or — only by this separate, explicit key — everyone in a tenant.
 * A tenant id listed under `teams` matches no team and so grants nothing.
 */
const TeamsMembers = z
  .strictObject({
    users: ids,
    teams: z.array(teamId).default([]),
    tenants: z.array(tenantId).default([]),
  })
  .optional();

/** The catalog's `platforms.teams`: the tenants a MultiTenant app accepts requests from. */
const TeamsCatalog = z
  .strictObject({
    /** Empty: only the tenant the bot was first installed in (the adapter says which at start-up). */
    tenants: z.array(tenantId).default([]),
  })
  .prefault({});

/** Microsoft Teams: the Microsoft 365 Agents SDK on /api/messages; roles by AAD user id, team or tenant. */
export const teamsPlatform = definePlatform({
  name: 'teams',
  title: 'Teams',
  env: TeamsEnvShape,
  configFrom: teamsConfigFrom,
  channels: true,
  alertCards: true,
  catalog: TeamsCatalog,
  members: {
    schema: TeamsMembers,
    ids: (members) => [...(members?.users ?? []), ...(members?.teams ?? []), ...(members?.tenants ?? [])],
    wildcard: false,
    holds: (members, who) => {
      if (!members) return false;
      if (members.users.includes(who.id)) return true;
      const teams = [who.teamId, ...(who.teamAliases ?? [])].filter((t): t is string => t !== undefined).map((t) => (GUID.test(t) ? t.toLowerCase() : t));
      if (teams.some((t) => members.teams.includes(t))) return true;
      return who.tenantId !== undefined && members.tenants.includes(who.tenantId.toLowerCase());
    },
  },
  load: async () => (await import('./runtime.js')).teamsRuntime,
});

/** The tenants the catalog lets a MultiTenant app take requests from; empty means the tenant it was first installed in. */
export function teamsTenantsOf(catalog: Pick<Catalog, 'platforms'>): string[] {
  return catalog.platforms.teams.tenants;
}
