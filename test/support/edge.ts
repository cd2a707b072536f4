import type { Express } from 'express';
import type { Logger } from 'pino';
import { type Edge, listenBehindEdge } from '../../src/http/edge.js';
import { slackEdgeRoute } from '../../src/platforms/slack/edge-route.js';
import type { SlackAdapter } from '../../src/platforms/slack/index.js';

/** The bot's listener behind the HTTP edge as main.ts starts it (with Slack over HTTP when given), on a free local port. */
export function listenForTests(app: Express, log: Logger, slack?: SlackAdapter): Promise<Edge> {
  const edge = slack?.edge;
  return listenBehindEdge({
    app,
    port: 0,
    host: '127.0.0.1',
    log,
    ...(edge ? { ingresses: [slackEdgeRoute(edge.ingress, (delivery) => edge.deliver(delivery))] } : {}),
    onFailure: (error) => log.error({ err: error }, 'test edge failed'),
  });
}
