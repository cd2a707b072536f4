import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../core/metrics.js';
import { maskSecretValues } from '../core/secret-values.js';
import { httpMetrics } from './http-metrics.js';
import { configureListener, DEFAULT_HTTP_LIMITS, type HttpLimits, localUrl } from './listener.js';

/** A named readiness check: resolves when healthy, throws (with a reason) when not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface HttpServerOptions {
  metrics: Metrics;
  readiness: ReadinessCheck[];
  log: Logger;
  /** Per-check budget: a readiness probe must answer even when a dependency hangs. */
  readinessTimeoutMs?: number;
}

/**
 * The bot's one HTTP listener. Platform adapters mount their routes on `app` before
 * `listen`; this module owns only health and metrics.
 */
export function createHttpApp(options: HttpServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetrics(options.metrics));
  const timeoutMs = options.readinessTimeoutMs ?? 1000;

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/health/ready', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs);
          return { name, ok: true as const };
        } catch (error) {
          return { name, ok: false as const, reason: (error as Error).message };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });

  app.get('/metrics', async (_req, res) => {
    // A label value may carry what someone typed; the bot's own credentials never leave in it.
    res.type(options.metrics.registry.contentType).send(maskSecretValues(await options.metrics.registry.metrics()));
  });

  return app;
}

/** Adds the last-resort handlers; call after every route is mounted. */
export function finishHttpApp(app: Express, log: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    // body-parser errors carry a 4xx status: the caller sent something we refuse.
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status >= 500) log.error({ err: error, path: req.path }, 'http handler failed');
    if (!res.headersSent) res.status(status).json({ error: status >= 500 ? 'internal error' : error.message });
  });
}

export async function listen(app: Express, port: number, host: string, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Promise<{ server: Server; url: string }> {
  const server = app.listen(port, host);
  configureListener(server, limits);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return { server, url: localUrl(address.address, address.port) };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
