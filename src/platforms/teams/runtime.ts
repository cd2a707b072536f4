import type { PlatformRuntime } from '../shared/platform.js';
import type { TeamsConfig } from './config.js';
import { createTeamsAdapter, createTeamsChat } from './index.js';

/** The Microsoft 365 Agents SDK: imported only when Teams is configured. Teams answers on the express app, not on the edge. */
export const teamsRuntime: PlatformRuntime<TeamsConfig> = {
  async receive(config, deps) {
    const teams = await createTeamsAdapter({ ...deps, config, tenants: [] });
    return { chat: teams.chat, stop: () => teams.stop() };
  },
  send: (config, deps) => createTeamsChat({ ...deps, config }),
};
