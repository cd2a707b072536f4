import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Edge, listenBehindEdge } from '../../src/http/edge.js';
import { createHttpApp, finishHttpApp } from '../../src/http/server.js';
import { slackEdgeRoute } from '../../src/platforms/slack/edge-route.js';
import type { SlackDelivery } from '../../src/platforms/slack/ingress.js';
import { Metrics } from '../../src/core/metrics.js';
import { postSlack, SIGNING_SECRET, signature, slashCommandBody } from '../slack/support/slack-requests.js';

const log = pino({ level: 'silent' });
let edge: Edge | undefined;

afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

function appWithEcho() {
  const app = createHttpApp({ metrics: new Metrics({ defaultMetrics: false }), readiness: [], log });
  app.post('/echo', express.json({ limit: '1kb' }), (req, res) => {
    res.status(201).set('x-echo', 'yes').json({ body: req.body, forwardedFor: req.headers['x-forwarded-for'] });
  });
  finishHttpApp(app, log);
  return app;
}

function slackEdge(deliveries: SlackDelivery[], capacity = 100) {
  return slackEdgeRoute({ signingSecret: SIGNING_SECRET, capacity, inFlight: new SharedArrayBuffer(4) }, (delivery) => deliveries.push(delivery));
}

/** curl in its own process, so it keeps time while this thread is blocked. */
function curlSlack(url: string, body: string): Promise<{ status: number; seconds: number }> {
  const ts = Math.floor(Date.now() / 1000);
  const args = ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-X', 'POST', `${url}/slack/events`];
  args.push('-H', 'content-type: application/x-www-form-urlencoded', '-H', `x-slack-request-timestamp: ${ts}`);
  args.push('-H', `x-slack-signature: ${signature(SIGNING_SECRET, ts, body)}`, '--data-binary', body);
  return new Promise((resolve, reject) => {
    execFile('curl', args, (error, stdout) => {
      if (error) return reject(error);
      const [status, seconds] = stdout.trim().split(' ');
      resolve({ status: Number(status), seconds: Number(seconds) });
    });
  });
}

function blockThisThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Spinning on purpose: this event loop is busy, as it is under a burst of work.
  }
}

describe('the HTTP edge', () => {
  it('passes other requests to the express app with status, headers and body intact', async () => {
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, onFailure: () => {} });
    const response = await fetch(`${edge.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }) });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    const echoed = (await response.json()) as { body: unknown; forwardedFor: string };
    expect(echoed.body).toEqual({ a: 1 });
    expect(echoed.forwardedFor).toBe('127.0.0.1');
  });

  it("passes the app's own refusals through: 413 for a body over the route's limit, 404 for no route", async () => {
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, onFailure: () => {} });
    const big = await fetch(`${edge.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(4096) }) });
    expect(big.status).toBe(413);
    expect((await fetch(`${edge.url}/nowhere`)).status).toBe(404);
  });

  it('keeps idle connections past a load balancer\'s 60-second idle timeout', async () => {
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, onFailure: () => {} });
    const response = await fetch(`${edge.url}/health/live`);
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('answers health checks through the app, so a stuck app fails its liveness probe', async () => {
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, onFailure: () => {} });
    const live = await fetch(`${edge.url}/health/live`);
    expect(await live.json()).toEqual({ status: 'ok' });
  });

  it("acks Slack within a second while the bot's own thread is blocked, and hands the request over afterwards", async () => {
    const deliveries: SlackDelivery[] = [];
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, ingresses: [slackEdge(deliveries)], onFailure: () => {} });
    const answered = curlSlack(edge.url, slashCommandBody({ text: 'status maestro-orchestrator' }));
    blockThisThread(2500);
    expect(deliveries).toEqual([]);

    const { status, seconds } = await answered;
    expect(status).toBe(200);
    expect(seconds).toBeLessThan(1);
    await expect.poll(() => deliveries.length).toBe(1);
    expect(deliveries[0]!.body).toMatchObject({ command: '/maestro', text: 'status maestro-orchestrator', user_id: 'U0ALICE' });
  });

  it('does not hand on a Slack request it refused', async () => {
    const deliveries: SlackDelivery[] = [];
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, ingresses: [slackEdge(deliveries)], onFailure: () => {} });
    const body = slashCommandBody({ text: 'status maestro-orchestrator' });
    const ts = Math.floor(Date.now() / 1000);
    const forged = await fetch(`${edge.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature('another-secret', ts, body) },
      body,
    });
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(deliveries).toEqual([]);
  });

  it('counts acks, refusals and requests still being worked on, on /metrics', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const app = createHttpApp({ metrics, readiness: [], log });
    finishHttpApp(app, log);
    const slack = slackEdge([]);
    edge = await listenBehindEdge({ app, port: 0, host: '127.0.0.1', log, metrics, ingresses: [slack], onFailure: () => {} });
    expect((await postSlack(edge.url, slashCommandBody({ text: 'help' }))).status).toBe(200);
    expect((await postSlack(edge.url, slashCommandBody({ text: 'help' }), { secret: 'another-secret' })).status).toBe(401);

    await expect.poll(async () => (await fetch(`${edge!.url}/metrics`)).text()).toContain('maestro_bot_slack_requests_total{outcome="unauthorized"} 1');
    const text = await (await fetch(`${edge.url}/metrics`)).text();
    expect(text).toContain('maestro_bot_slack_requests_total{outcome="acked"} 1');
    // Nothing took the acknowledged request off the counter: it is still in flight.
    expect(text).toContain('maestro_bot_slack_in_flight 1');
  });

  it('without Slack configured, leaves /slack/events to the app (404)', async () => {
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, onFailure: () => {} });
    expect((await fetch(`${edge.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('reports its own death, so that the bot can exit and be restarted', async () => {
    const failures: Error[] = [];
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, onFailure: (error) => failures.push(error) });
    await edge.thread.terminate();
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0]!.message).toContain('edge thread exited');
  });

  it('does not report a failure when it is closed on purpose', async () => {
    const failures: Error[] = [];
    edge = await listenBehindEdge({ app: appWithEcho(), port: 0, host: '127.0.0.1', log, onFailure: (error) => failures.push(error) });
    await edge.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures).toEqual([]);
  });

  it('fails to start with the address in the message when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const starting = listenBehindEdge({ app: appWithEcho(), port, host: '127.0.0.1', log, onFailure: () => {} });
      await expect(starting).rejects.toThrow(`127.0.0.1:${port}`);
      await expect(starting).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      taken.close();
    }
  });
});
