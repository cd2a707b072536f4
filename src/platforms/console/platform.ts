import { z } from 'zod';
import { definePlatform } from '../shared/platform.js';

/**
 * The console on stdin/stdout: on when the bot runs as `all` with no chat platform
 * configured (main.ts decides), so it has no variables and no SDK. Roles go by OS
 * user name, and `*` is whoever sits at the terminal.
 */
export const consolePlatform = definePlatform({
  name: 'console',
  title: 'console',
  env: {},
  configFrom: () => undefined,
  channels: false,
  alertCards: false,
  members: {
    schema: z.strictObject({ users: z.array(z.string().min(1)).default([]) }).optional(),
    ids: (members) => members?.users ?? [],
    wildcard: true,
    holds: (members, who) => Boolean(members?.users.includes(who.id) || members?.users.includes('*')),
  },
});
