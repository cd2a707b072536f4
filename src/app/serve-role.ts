import { durationMs } from '../core/duration.js';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { listenBehindEdge } from '../http/edge.js';
import { finishHttpApp, listen } from '../http/server.js';
import type { EdgeIngress } from '../platforms/shared/platform.js';
import type { Metrics } from '../core/metrics.js';
import type { AppEnv } from './app-env.js';
import { type ConsoleSessionDeps, runConsoleSession } from './console-session.js';

export interface ServeOptions {
  app: Express;
  env: AppEnv;
  log: Logger;
  metrics: Metrics;
  consoleMode: boolean;
  signalled: Promise<void>;
  /** The platform routes the HTTP edge thread answers itself (Slack over HTTP); none: no edge thread. */
  edges: readonly EdgeIngress[];
  console: ConsoleSessionDeps;
  onStop(stop: () => Promise<unknown>): void;
}

/**
 * Listens as the role is deployed — the web role on PORT, a worker on HEALTH_PORT
 * with only its probes and /metrics — and runs until signalled, or in the console
 * until end of input. `done` resolves with the exit code.
 */
export async function serveRole(options: ServeOptions): Promise<{ url: string; done: Promise<number> }> {
  const { app, env, log } = options;
  finishHttpApp(app, log);
  // The bot cannot be reached without its edge: shut down, and exit non-zero so that it is restarted.
  let edgeFailed = false;
  const stopOnEdgeFailure = () => {
    edgeFailed = true;
    process.kill(process.pid, 'SIGTERM');
  };
  const port = env.MAESTRO_ROLE === 'worker' ? env.HEALTH_PORT : env.PORT;
  const limits = {
    headersTimeoutMs: durationMs(env.HTTP_HEADERS_TIMEOUT),
    requestTimeoutMs: durationMs(env.HTTP_REQUEST_TIMEOUT),
    maxConnections: env.HTTP_MAX_CONNECTIONS,
  };
  let url: string;
  // With a platform acked at the edge (Slack over HTTP), the listener runs in a thread of its own, so those acks never wait on this loop.
  if (options.edges.length > 0) {
    const edge = await listenBehindEdge({ app, port, host: env.HOST, log, metrics: options.metrics, ingresses: options.edges, limits, onFailure: stopOnEdgeFailure });
    options.onStop(() => edge.close());
    url = edge.url;
  } else {
    const listener = await listen(app, port, env.HOST, limits);
    options.onStop(() => new Promise((resolve) => listener.server.close(resolve)));
    url = listener.url;
  }
  const until = options.consoleMode ? runConsoleSession(options.console, options.signalled) : options.signalled;
  return { url, done: until.then(() => (edgeFailed ? 1 : 0)) };
}
