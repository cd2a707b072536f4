import { connect, type Socket } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Edge, listenBehindEdge } from '../../src/http/edge.js';
import type { HttpLimits } from '../../src/http/listener.js';
import { createHttpApp, finishHttpApp, listen } from '../../src/http/server.js';
import { Metrics } from '../../src/core/metrics.js';
import { slackEdgeRoute } from '../../src/platforms/slack/edge-route.js';
import { SIGNING_SECRET } from '../slack/support/slack-requests.js';

const log = pino({ level: 'silent' });
const LIMITS: HttpLimits = { headersTimeoutMs: 500, requestTimeoutMs: 1_000, maxConnections: 20 };
let edge: Edge | undefined;
let closePlain: (() => Promise<void>) | undefined;

afterEach(async () => {
  await edge?.close();
  await closePlain?.();
  edge = undefined;
  closePlain = undefined;
});

/** The app behind the listener, with a route that reads its whole body as the webhooks do. */
function app() {
  const a = createHttpApp({ metrics: new Metrics({ defaultMetrics: false }), readiness: [], log });
  a.post('/upload', express.raw({ type: () => true, limit: '1mb' }), (_req, res) => {
    res.status(200).end();
  });
  finishHttpApp(a, log);
  return a;
}

async function behindEdge(): Promise<string> {
  const slack = slackEdgeRoute({ signingSecret: SIGNING_SECRET, capacity: 100, inFlight: new SharedArrayBuffer(4) }, () => {});
  edge = await listenBehindEdge({ app: app(), port: 0, host: '127.0.0.1', log, ingresses: [slack], limits: LIMITS, onFailure: () => {} });
  return edge.url;
}

/** A raw connection that writes `first`, then one more byte every 100 ms: resolves with what came back and when it was closed. */
function trickle(url: string, first: string, drip: string): Promise<{ answer: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('error', () => {});
    const timer = setInterval(() => socket.writable && socket.write(drip), 100);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer: answer.split('\r\n')[0] ?? '', ms: performance.now() - started });
    });
    socket.write(first);
    // Beyond any limit under test: the assertion is that the server closes first.
    setTimeout(() => socket.destroy(), 8_000).unref();
  });
}

/** 60,000 bytes announced (under every limit), one sent. */
const SLOW_BODY = (path: string, headers = '') => `POST ${path} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n${headers}Content-Length: 60000\r\n\r\n{`;
/** Headers that pass the edge's checks before the body (well-formed, in the window), so that the body is waited for. */
const signedHeaders = () => `X-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}\r\nX-Slack-Signature: v0=${'0'.repeat(64)}\r\n`;
const SLOW_HEADERS = 'GET /health/live HTTP/1.1\r\nHost: bot\r\n';

describe('slow clients', () => {
  it('cuts off a slow body to /slack/events at the request timeout', { timeout: 10_000 }, async () => {
    const { answer, ms } = await trickle(await behindEdge(), SLOW_BODY('/slack/events', signedHeaders()), ' ');
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + 1_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off a slow body forwarded to the app with 408 at the request timeout', { timeout: 10_000 }, async () => {
    const { answer, ms } = await trickle(await behindEdge(), SLOW_BODY('/upload'), ' ');
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + 1_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off a client trickling its headers with 408 at the headers timeout', { timeout: 10_000 }, async () => {
    const { answer, ms } = await trickle(await behindEdge(), SLOW_HEADERS, 'X-Drip: 1\r\n');
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + 1_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('does the same on the plain listener, without the edge', { timeout: 10_000 }, async () => {
    const { server, url } = await listen(app(), 0, '127.0.0.1', LIMITS);
    closePlain = () => new Promise((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    const { answer, ms } = await trickle(url, SLOW_BODY('/upload'), ' ');
    expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + 1_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps an idle keep-alive connection open past the request timeout, for load balancers', { timeout: 10_000 }, async () => {
    const url = await behindEdge();
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    const answers: string[] = [];
    socket.on('data', (chunk) => answers.push(...(chunk.toString().match(/HTTP\/1\.1 \d+/g) ?? [])));
    const get = 'GET /health/live HTTP/1.1\r\nHost: bot\r\n\r\n';
    socket.write(get);
    await new Promise((resolve) => setTimeout(resolve, LIMITS.requestTimeoutMs * 2));
    socket.write(get);
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    expect(answers).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
  });

  it('takes no more than the cap of connections at once', { timeout: 10_000 }, async () => {
    const { hostname, port } = new URL(await behindEdge());
    const sockets: Socket[] = [];
    let closedEarly = 0;
    for (let i = 0; i < LIMITS.maxConnections + 10; i++) {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => {});
      socket.on('close', () => closedEarly++);
      sockets.push(socket);
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const socket of sockets) socket.destroy();
    expect(closedEarly).toBe(10);
  });
});
