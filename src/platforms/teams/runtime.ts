import type { PlatformRuntime } from '../shared/platform.js';
import type { TeamsConfig } from './config.js';
import { ConversationStore, channelDirectoryOf } from './conversations.js';
import { createTeamsAdapter, createTeamsChat } from './index.js';
import { teamsTenantsOf } from './platform.js';

/** The Microsoft 365 Agents SDK: imported only when Teams is configured. Teams answers on the express app, not on the edge. */
export const teamsRuntime: PlatformRuntime<TeamsConfig> = {
  async receive(config, deps) {
    const teams = await createTeamsAdapter({ ...deps, config, tenants: teamsTenantsOf(deps.catalog) });
    return { chat: teams.chat, stop: () => teams.stop() };
  },
  send: (config, deps) => createTeamsChat({ ...deps, config }),
  // Teams sends channel ids only: the policy resolves the catalog's channel names through what the bot learned.
  channelDirectory: (_config, deps) => channelDirectoryOf(new ConversationStore(deps.redis, deps.prefix)),
};
