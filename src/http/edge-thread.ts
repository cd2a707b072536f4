/**
 * The HTTP edge, run in its own worker thread (started by edge.ts). It owns the
 * bot's one public listener: the routes of platforms acked at the edge (Slack's
 * /slack/events) are verified and answered here by the platform's own ingress module,
 * and every other request is passed, streamed, to the bot's express app on the
 * main thread over a private Unix socket. Kept small and free of SDKs on purpose:
 * whatever the main thread is busy with, this loop only ever does acks and copying.
 */
import { Agent, createServer, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { EdgeIngressFactory } from '../platforms/shared/platform.js';
import type { EdgeRoute, EdgeToMain, EdgeWorkerData } from './edge-protocol.js';
import { configureListener } from './listener.js';

const data = workerData as EdgeWorkerData;
const port = parentPort!;
const send = (message: EdgeToMain) => port.postMessage(message);

// Connection, hop-by-hop and framing headers belong to each leg, not to the message.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

const upstream = new Agent({ keepAlive: true, socketPath: data.upstreamSocket } as ConstructorParameters<typeof Agent>[0]);

function forward(req: IncomingMessage, res: ServerResponse): void {
  const peer = req.socket.remoteAddress;
  const forwardedFor = [req.headers['x-forwarded-for'], peer].filter(Boolean).join(', ');
  const upstreamReq = request(
    { agent: upstream, method: req.method, path: req.url, headers: { ...endToEnd(req.headers), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, endToEnd(upstreamRes.headers));
      pipeline(upstreamRes, res, () => {});
    },
  );
  let clientGone = false;
  upstreamReq.on('error', (error) => {
    if (clientGone) return;
    send({ kind: 'log', level: 'error', fields: { err: error.message, path: req.url }, message: 'the edge could not reach the bot' });
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad gateway' }));
    else res.destroy();
  });
  // A client that goes away mid-request takes the upstream request with it.
  res.on('close', () => {
    if (res.writableFinished) return;
    clientGone = true;
    upstreamReq.destroy();
  });
  // Headers at once, not with the first body chunk: a route can refuse on them alone (a missing signature) before any body is read.
  upstreamReq.flushHeaders();
  pipeline(req, upstreamReq, () => {});
}

type Handle = (req: IncomingMessage, res: ServerResponse) => void;

/** The platform's verifier, imported here from the module its descriptor names: the edge itself knows no platform. */
async function routeHandler(route: EdgeRoute): Promise<Handle> {
  const { edgeIngress } = (await import(route.module)) as { edgeIngress: (...args: Parameters<EdgeIngressFactory>) => Handle };
  const { platform } = route;
  return edgeIngress(route.config as never, {
    deliver: (delivery) => send({ kind: 'delivered', platform, delivery }),
    refused: (refusal) => send({ kind: 'refused', platform, refusal }),
    turnedAway: (inFlight) => send({ kind: 'turned-away', platform, inFlight }),
    warn: (fields, message) => send({ kind: 'log', level: 'warn', fields, message }),
  });
}

const routes = new Map<string, Handle>();
for (const route of data.routes) routes.set(route.path, await routeHandler(route));

const server = createServer((req, res) => {
  const route = req.method === 'POST' ? routes.get((req.url ?? '').split('?')[0] ?? '') : undefined;
  if (route) route(req, res);
  else forward(req, res);
});
configureListener(server, data.limits);

port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  server.close(() => {
    upstream.destroy();
    send({ kind: 'closed' });
  });
  server.closeIdleConnections();
});

server.on('error', (error: NodeJS.ErrnoException) => send({ kind: 'failed', message: error.message, ...(error.code ? { code: error.code } : {}) }));
server.listen(data.port, data.host, () => send({ kind: 'listening', port: (server.address() as AddressInfo).port }));
