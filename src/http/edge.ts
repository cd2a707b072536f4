import { setTimeout as delay } from 'node:timers/promises';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../core/metrics.js';
import type { EdgeIngress } from '../platforms/shared/platform.js';
import { type EdgeCounters, edgeCounters } from './edge-metrics.js';
import type { EdgeToMain, EdgeWorkerData } from './edge-protocol.js';
import { configureListener, DEFAULT_HTTP_LIMITS, type HttpLimits, localUrl } from './listener.js';

export interface EdgeOptions {
  app: Express;
  port: number;
  host: string;
  log: Logger;
  /** Platforms acked at the edge (Slack over HTTP): the edge verifies and acks their path itself and hands each request to `deliver`. */
  ingresses?: readonly EdgeIngress[];
  /** The edge thread died: the bot can no longer be reached, and should stop so that it is restarted. */
  onFailure(error: Error): void;
  /** Where each edge platform's request counts and in-flight gauge are registered. */
  metrics?: Metrics;
  /** Timeouts and connection cap of the public listener (default: DEFAULT_HTTP_LIMITS). */
  limits?: HttpLimits;
}

export interface Edge {
  url: string;
  /** The edge's worker thread: for its resource usage, and for tests that stop it. */
  thread: Worker;
  close(): Promise<void>;
}

/**
 * The bot's one HTTP listener, run in a worker thread of its own (edge-thread.ts).
 * Slack must have its ack within 3 seconds; on the main thread, an ack waits behind
 * whatever Bolt, the handlers and the SDKs are doing for earlier requests — on two
 * shared cores that was most of the p99 under 200 concurrent commands. The edge
 * thread answers Slack itself and passes every other request, streamed, to the
 * express app, which listens only on a private Unix socket.
 */
export async function listenBehindEdge(options: EdgeOptions): Promise<Edge> {
  const log = options.log.child({ component: 'http-edge' });
  const dir = await mkdtemp(join(tmpdir(), 'maestro-edge-'));
  const upstreamSocket = join(dir, 'app.sock');
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const ingresses = options.ingresses ?? [];
  const upstream: Server = options.app.listen(upstreamSocket);
  // Only the edge connects here, and it caps its clients itself: the timeouts, not the connection cap.
  configureListener(upstream, { ...limits, maxConnections: Number.POSITIVE_INFINITY });
  await once(upstream, 'listening');

  const workerData: EdgeWorkerData = {
    host: options.host,
    port: options.port,
    upstreamSocket,
    limits,
    routes: ingresses.map(({ platform, path, module, config }) => ({ platform, path, module, config })),
  };
  const counters = new Map<string, { ingress: EdgeIngress; requests: EdgeCounters | undefined }>(
    ingresses.map((ingress) => [ingress.platform, { ingress, requests: options.metrics ? edgeCounters(options.metrics, ingress) : undefined }]),
  );
  const [threadFile, loader] = edgeThread();
  const worker = new Worker(threadFile, { ...loader, workerData });
  let closing = false;
  let up = false;
  let exited = false;

  const started = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: EdgeToMain) => {
      switch (message.kind) {
        case 'listening':
          resolve(message.port);
          break;
        case 'failed':
          // With the listen error's code, so that main.ts can say "port already in use" as without the edge.
          reject(Object.assign(new Error(`the HTTP listener could not start on ${options.host}:${options.port}: ${message.message}`), { code: message.code }));
          break;
        case 'delivered': {
          const route = counters.get(message.platform);
          route?.requests?.inc({ outcome: 'acked' });
          try {
            route?.ingress.deliver(message.delivery);
          } catch (error) {
            // The platform has its 200 already: whatever this request does, it must not end the process.
            log.error({ err: error }, `an acknowledged ${route?.ingress.title} request could not be handed to its SDK`);
          }
          break;
        }
        case 'refused': {
          const route = counters.get(message.platform);
          const { status, reason, retryNum } = message.refusal;
          route?.requests?.inc({ outcome: REFUSAL_OUTCOME[status] });
          log.warn({ status, reason, ...(retryNum ? { retryNum } : {}) }, `refused a ${route?.ingress.title} request`);
          break;
        }
        case 'turned-away': {
          const route = counters.get(message.platform);
          route?.requests?.inc({ outcome: 'turned_away' });
          log.warn({ inFlight: message.inFlight }, `${route?.ingress.title} request turned away: too much acknowledged work is waiting`);
          break;
        }
        case 'log':
          log[message.level](message.fields, message.message);
          break;
        case 'closed':
          break;
      }
    });
    worker.once('error', reject);
  });
  // Before it is up, a failure rejects the start instead; once closing, an exit is expected.
  worker.on('error', (error) => {
    if (closing || !up) return;
    log.fatal({ err: error }, 'the HTTP edge thread failed');
    options.onFailure(error);
  });
  worker.on('exit', (code) => {
    exited = true;
    if (closing || !up) return;
    log.fatal({ code }, 'the HTTP edge thread exited');
    options.onFailure(new Error(`the HTTP edge thread exited with code ${code}`));
  });

  let port: number;
  try {
    port = await started;
    up = true;
  } catch (error) {
    closing = true;
    await worker.terminate();
    await closeServer(upstream);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: localUrl(options.host, port),
    thread: worker,
    async close() {
      if (closing) return;
      closing = true;
      if (!exited) {
        // Stop taking connections and let requests in flight finish, then the thread can go.
        const closed = new Promise<void>((resolve) => worker.on('message', (m: EdgeToMain) => m.kind === 'closed' && resolve()));
        worker.postMessage('close');
        await Promise.race([closed, delay(5_000, undefined, { ref: false })]);
        await worker.terminate();
      }
      await closeServer(upstream);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const REFUSAL_OUTCOME = { 400: 'malformed', 401: 'unauthorized', 413: 'too_large' } as const;


/**
 * The thread's module and how to start it: compiled, it is JavaScript beside this
 * file; run from source (npm start, tests), it is TypeScript, loaded through tsx.
 */
function edgeThread(): [string | URL, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./edge-thread.js', import.meta.url), {}];
  const tsx = import.meta.resolve('tsx/esm/api');
  const thread = new URL('./edge-thread.ts', import.meta.url).href;
  return [`import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(thread)}, ${JSON.stringify(import.meta.url)}))`, { eval: true }];
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
