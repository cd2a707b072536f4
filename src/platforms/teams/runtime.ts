import type { PlatformRuntime } from '../shared/platform.js';
import type { TeamsConfig } from './config.js';
import { createTeamsAdapter, createTeamsChat } from './index.js';

/** botbuilder: imported only when Teams is configured. Teams answers on the express app, not on the edge. */
export const teamsRuntime: PlatformRuntime<TeamsConfig> = {
  async receive(config, deps) {
    const teams = createTeamsAdapter({ ...deps, config });
    return { chat: teams.chat, stop: () => teams.stop() };
  },
  send: (config, deps) => createTeamsChat({ ...deps, config }),
};
