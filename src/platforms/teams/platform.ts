import { z } from 'zod';
import { definePlatform } from '../shared/platform.js';
import { TeamsEnvShape, teamsConfigFrom } from './config.js';

const ids = z.array(z.string().min(1)).default([]);

/** Microsoft Teams: the Microsoft 365 Agents SDK's CloudAdapter on /api/messages; roles by AAD user id, by team or by tenant. */
export const teamsPlatform = definePlatform({
  name: 'teams',
  title: 'Teams',
  env: TeamsEnvShape,
  configFrom: teamsConfigFrom,
  channels: true,
  alertCards: true,
  members: {
    /** AAD object ids of users, and team ids whose members all hold the role. */
    schema: z.strictObject({ users: ids, teams: ids }).optional(),
    ids: (members) => [...(members?.users ?? []), ...(members?.teams ?? [])],
    wildcard: false,
    holds: (members, who) => Boolean(members?.users.includes(who.id) || (who.teamId !== undefined && members?.teams.includes(who.teamId))),
  },
  load: async () => (await import('./runtime.js')).teamsRuntime,
});
