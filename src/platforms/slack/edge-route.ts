import type { EdgeIngress } from '../shared/platform.js';
import { SLACK_EVENTS_PATH, type SlackDelivery, type SlackIngressConfig } from './ingress.js';
import { slackPlatform } from './platform.js';

/** Slack's route on the HTTP edge: /slack/events, verified and acked by ingress.ts in the edge thread. */
export function slackEdgeRoute(config: SlackIngressConfig, deliver: (delivery: SlackDelivery) => void): EdgeIngress {
  return {
    platform: slackPlatform.name,
    title: slackPlatform.title,
    path: SLACK_EVENTS_PATH,
    module: new URL('./ingress.js', import.meta.url).href,
    config,
    deliver: (delivery) => deliver(delivery as SlackDelivery),
  };
}
