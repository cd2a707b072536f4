import type { Server } from 'node:http';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp, finishHttpApp, listen, type ReadinessCheck } from '../../src/http/server.js';
import { Metrics } from '../../src/core/metrics.js';

const log = pino({ level: 'silent' });
let server: Server | undefined;

async function start(readiness: ReadinessCheck[] = [], metrics = new Metrics()) {
  const app = createHttpApp({ metrics, readiness, log, readinessTimeoutMs: 200 });
  finishHttpApp(app, log);
  const started = await listen(app, 0, '127.0.0.1');
  server = started.server;
  return started.url;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('the HTTP listener', () => {
  it("keeps idle connections past a load balancer's 60-second idle timeout", async () => {
    const url = await start();
    const res = await fetch(`${url}/health/live`);
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('answers liveness', async () => {
    const url = await start();
    const res = await fetch(`${url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when every check passes', async () => {
    const url = await start([{ name: 'redis', check: async () => {} }]);
    const res = await fetch(`${url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: [{ name: 'redis', ok: true }] });
  });

  it('is not ready, with the reason, when a check fails', async () => {
    const url = await start([
      { name: 'redis', check: async () => {} },
      {
        name: 'workers',
        check: async () => {
          throw new Error('no worker running');
        },
      },
    ]);
    const res = await fetch(`${url}/health/ready`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: unknown[] }).checks[1]).toEqual({ name: 'workers', ok: false, reason: 'no worker running' });
  });

  it('is not ready when a check hangs, instead of hanging the probe', async () => {
    const url = await start([{ name: 'redis', check: () => new Promise(() => {}) }]);
    const res = await fetch(`${url}/health/ready`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: { reason: string }[] }).checks[0]!.reason).toBe('no answer within 200 ms');
  });

  it('serves Prometheus metrics with the commands counter by verb and outcome', async () => {
    const metrics = new Metrics();
    metrics.countCommand('rollback', 'queued');
    metrics.countCommand('rollback', 'queued');
    metrics.countCommand('(unparsed)', 'parse_error');
    const url = await start([], metrics);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await res.text();
    expect(body).toContain('maestro_bot_commands_total{verb="rollback",outcome="queued"} 2');
    expect(body).toContain('maestro_bot_commands_total{verb="(unparsed)",outcome="parse_error"} 1');
    expect(body).toContain('process_cpu_user_seconds_total');
    expect(body).not.toContain('maestro_bot_process_');
  });

  it('answers an unknown path with 404', async () => {
    const url = await start();
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});
