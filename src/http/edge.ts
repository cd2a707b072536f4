import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../core/metrics.js';
import type { SlackDelivery, SlackIngressConfig } from '../platforms/slack/ingress.js';
import type { EdgeToMain, EdgeWorkerData } from './edge-protocol.js';
import { configureListener, DEFAULT_HTTP_LIMITS, type HttpLimits, localUrl } from './listener.js';

export interface EdgeOptions {
  app: Express;
  port: number;
  host: string;
  log: Logger;
  /** Slack over HTTP: the edge verifies and acks /slack/events itself and hands each request to `deliver`. */
  slack?: { ingress: SlackIngressConfig; deliver(delivery: SlackDelivery): void };
  /** The edge thread died: the bot can no longer be reached, and should stop so that it is restarted. */
  onFailure(error: Error): void;
  /** Where the Slack request counts and the in-flight gauge are registered. */
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
  const upstream: Server = options.app.listen(upstreamSocket);
  // Only the edge connects here, and it caps its clients itself: the timeouts, not the connection cap.
  configureListener(upstream, { ...limits, maxConnections: Number.POSITIVE_INFINITY });
  await once(upstream, 'listening');

  const workerData: EdgeWorkerData = {
    host: options.host,
    port: options.port,
    upstreamSocket,
    limits,
    ...(options.slack ? { slack: options.slack.ingress } : {}),
  };
  const slackRequests = options.slack && options.metrics ? slackMetrics(options.metrics, options.slack.ingress) : undefined;
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
        case 'slack':
          slackRequests?.inc({ outcome: 'acked' });
          try {
            options.slack?.deliver(message.delivery);
          } catch (error) {
            // Slack has its 200 already: whatever this request does, it must not end the process.
            log.error({ err: error }, 'an acknowledged Slack request could not be handed to Bolt');
          }
          break;
        case 'slack-refused': {
          const { status, reason, retryNum } = message.refusal;
          slackRequests?.inc({ outcome: REFUSAL_OUTCOME[status] });
          log.warn({ status, reason, ...(retryNum ? { retryNum } : {}) }, 'refused a Slack request');
          break;
        }
        case 'slack-turned-away':
          slackRequests?.inc({ outcome: 'turned_away' });
          log.warn({ inFlight: message.inFlight }, 'Slack request turned away: too much acknowledged work is waiting');
          break;
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
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        await worker.terminate();
      }
      await closeServer(upstream);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const REFUSAL_OUTCOME = { 400: 'malformed', 401: 'unauthorized', 413: 'too_large' } as const;

/** What the edge did with each Slack request, and how many acknowledged ones are still being worked on. */
function slackMetrics(metrics: Metrics, ingress: SlackIngressConfig): Counter<'outcome'> {
  const inFlight = new Int32Array(ingress.inFlight);
  new Gauge({
    name: 'maestro_bot_slack_in_flight',
    help: `Slack requests acknowledged and not yet worked off (new ones are turned away at ${ingress.capacity})`,
    registers: [metrics.registry],
    collect() {
      this.set(Atomics.load(inFlight, 0));
    },
  });
  return new Counter({
    name: 'maestro_bot_slack_requests_total',
    help: 'Requests to /slack/events by outcome: acked, turned_away, unauthorized, too_large, malformed',
    labelNames: ['outcome'],
    registers: [metrics.registry],
  });
}

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
