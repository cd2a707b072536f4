import type { AppEnv } from './app-env.js';
import type { Cluster } from './cluster.js';

export interface StartupFacts {
  cluster: Cluster;
  env: AppEnv;
  url: string;
  platforms: string[];
  /** Which outside services have clients; their absence is what an operator most often needs to see. */
  clients: { metrics?: unknown; pagerduty?: unknown; statuspage?: unknown; github?: unknown };
}

/**
 * The fields of the 'maestro-bot started' line: the cluster it will change, the
 * platforms it answers on, and which integrations are configured — so a pod that
 * came up against the wrong cluster, or with a secret missing, says so in its first line.
 */
export function startupFields(facts: StartupFacts) {
  const { cluster, env, clients } = facts;
  return {
    url: facts.url,
    role: env.MAESTRO_ROLE,
    cluster: cluster.name,
    clusterServer: cluster.server,
    platforms: facts.platforms,
    integrations: {
      prometheus: Boolean(clients.metrics),
      pagerduty: Boolean(clients.pagerduty),
      statuspage: Boolean(clients.statuspage),
      github: Boolean(clients.github),
      alertmanagerWebhook: env.MAESTRO_ROLE !== 'worker' && Boolean(env.ALERTMANAGER_TOKEN || (env.ALERTMANAGER_BASIC_USER && env.ALERTMANAGER_BASIC_PASSWORD)),
    },
  };
}

/** The one stderr line the console shows, since its log level hides the structured one. */
export function consoleClusterLine(cluster: Cluster): string {
  return cluster.sandbox
    ? `maestro-bot: using the built-in sandbox cluster at ${cluster.server} (simulated; nothing real is changed)\n`
    : `maestro-bot: acting on cluster context ${cluster.name} at ${cluster.server}\n`;
}
