import { z } from 'zod';
import { definePlatform } from '../shared/platform.js';
import { SlackEnvShape, slackConfigFrom } from './config.js';

const ids = z.array(z.string().min(1)).default([]);

/** Slack: Bolt over the HTTP edge (or Socket Mode); roles by user id or user group. */
export const slackPlatform = definePlatform({
  name: 'slack',
  title: 'Slack',
  env: SlackEnvShape,
  configFrom: slackConfigFrom,
  channels: true,
  alertCards: true,
  members: {
    schema: z.strictObject({ users: ids, groups: ids }).optional(),
    ids: (members) => [...(members?.users ?? []), ...(members?.groups ?? [])],
    wildcard: false,
    holds: (members, who) => Boolean(members?.users.includes(who.id) || members?.groups.some((g) => who.groups.includes(g))),
  },
  // Slack's archive link to a message (https://slack.com/archives/C…/p…) redirects to the workspace.
  threadLink: (ref) => `https://slack.com/archives/${ref.conversation}/p${ref.id.replace('.', '')}`,
  load: async () => (await import('./runtime.js')).slackRuntime,
});
