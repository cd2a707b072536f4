import type { PlatformRuntime } from '../shared/platform.js';
import type { SlackConfig } from './config.js';
import { slackEdgeRoute } from './edge-route.js';
import { createSlackAdapter, createSlackChat, createSlackUserGroups } from './index.js';

/** Bolt and the Web API client: imported only when Slack is configured. */
export const slackRuntime: PlatformRuntime<SlackConfig> = {
  async receive(config, deps) {
    // Slack's chat keeps its own edit interval: the PROGRESS_INTERVAL is Teams' (as before the platforms were one contract).
    const { handler, interactions, redis, prefix, log, metrics } = deps;
    const slack = await createSlackAdapter({ handler, interactions, redis, prefix, log, metrics, config });
    return {
      chat: slack.chat,
      stop: () => slack.stop(),
      ...(slack.edge ? { edge: slackEdgeRoute(slack.edge.ingress, (delivery) => slack.edge?.deliver(delivery)) } : {}),
    };
  },
  send: (config, deps) => createSlackChat({ config, log: deps.log, metrics: deps.metrics }),
  roleGroups(config, deps) {
    const groups = createSlackUserGroups({ config, redis: deps.redis, prefix: deps.prefix, policy: deps.policy, log: deps.log });
    return { groupsOf: (actor) => groups.groupsOf(actor), start: () => groups.start() };
  },
};
