import { GitHubClient } from '../clients/github.js';
import { PagerDutyClient, routingKeysFrom } from '../clients/pagerduty.js';
import { PrometheusClient } from '../clients/prometheus.js';
import { StatuspageClient } from '../clients/statuspage.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { Sandbox } from '../sandbox/index.js';
import { catalogEndpoints, sandboxEndpoints } from '../verification/index.js';
import type { AppEnv } from './app-env.js';

/**
 * The clients of the outside services, each only when it is configured: an
 * integration that is not set up is absent, so the features that need it say so
 * instead of failing against a blank URL or key.
 */
export function externalClients(env: AppEnv, catalog: Catalog, sandbox: Sandbox | undefined, source: Record<string, string | undefined>) {
  const routingKeys = routingKeysFrom(catalog, source);
  const pagerduty =
    env.PAGERDUTY_API_TOKEN || Object.keys(routingKeys).length > 0
      ? new PagerDutyClient({
          ...(env.PAGERDUTY_API_TOKEN ? { apiToken: env.PAGERDUTY_API_TOKEN } : {}),
          ...(env.PAGERDUTY_FROM_EMAIL ? { fromEmail: env.PAGERDUTY_FROM_EMAIL } : {}),
          apiUrl: env.PAGERDUTY_API_URL,
          eventsHost: env.PAGERDUTY_EVENTS_HOST,
        })
      : undefined;
  // The sandbox serves its own Prometheus API, so drills grade health offline.
  const prometheusUrl = env.PROMETHEUS_URL ?? sandbox?.prometheusUrl;
  const statuspage =
    env.STATUSPAGE_PAGE_ID && env.STATUSPAGE_API_KEY
      ? new StatuspageClient({ pageId: env.STATUSPAGE_PAGE_ID, apiKey: env.STATUSPAGE_API_KEY, baseUrl: env.STATUSPAGE_API_URL })
      : undefined;
  return {
    routingKeys,
    pagerduty,
    metrics: prometheusUrl ? new PrometheusClient({ baseUrl: prometheusUrl }) : undefined,
    endpoints: sandbox ? sandboxEndpoints(sandbox) : catalogEndpoints,
    statuspage,
    github: env.GITHUB_TOKEN ? new GitHubClient({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL }) : undefined,
  };
}
