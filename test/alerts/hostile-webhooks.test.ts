import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertmanagerPayload } from '../../src/incidents/alertmanager-payload.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { pdEvent, pdIncident } from '../fixtures/pagerduty/webhook-events.js';
import { type AlertHarness, PD_SECRETS, startAlertHarness } from './support/harness.js';

let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('hostile-webhooks');
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slackApi.reset();
  h.pd.reset();
});

/** `{"x":{"x":…}}`, `levels` deep, as text: under 1 MB, valid JSON, and impossible to serialise into a job. */
function nested(levels: number): string {
  return `${'{"x":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** `json` with `"extra": <raw>` added as its last key. */
function withRaw(json: unknown, key: string, raw: string): string {
  return `${JSON.stringify(json).slice(0, -1)},"${key}":${raw}}`;
}

async function nothingQueued(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await h.incidents.queue.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
  expect(h.slackApi.chatCalls()).toHaveLength(0);
}

describe('webhook bodies that can never be stored', () => {
  it('answers 400, not 503, to an Alertmanager body nested thousands deep under an unknown key', async () => {
    const response = await h.notify(withRaw(highErrorRate('{}:{alertname="hostile-deep"}'), 'extra', nested(5_000)));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('nested deeper than 64 levels');
    await nothingQueued();
  });

  it('answers 400 to a signed PagerDuty body nested thousands deep', async () => {
    const raw = withRaw(pdEvent(`ev-deep-${Date.now()}`, 'incident.triggered', pdIncident('PDEEP', { status: 'triggered' })), 'extra', nested(5_000));
    const response = await fetch(`${h.url}/webhooks/pagerduty`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pagerduty-signature': `v1=${createHmac('sha256', PD_SECRETS[0]!).update(raw).digest('hex')}` },
      body: raw,
    });
    expect(response.status).toBe(400);
    await nothingQueued();
  });

  it('keeps only the fields the incident needs: unknown keys are dropped at the schema', () => {
    const parsed = AlertmanagerPayload.parse({ ...highErrorRate(), extra: { big: 'x'.repeat(1000) }, alerts: [{ ...highErrorRate().alerts[0], junk: [1, 2, 3] }] });
    expect(parsed).not.toHaveProperty('extra');
    expect(parsed.alerts[0]).not.toHaveProperty('junk');
  });
});

describe('alert retention in Redis', () => {
  it('removes a processed notification from Redis, yet still recognises its retry', { timeout: 20_000 }, async () => {
    const body = highErrorRate('{}:{alertname="hostile-retention"}');
    const first = await h.notify(body);
    expect(first.status).toBe(200);
    const { id } = (await first.json()) as { id: string };
    await h.incidents.settled();
    expect(await h.incidents.queue.queue.getJob(id)).toBeUndefined();
    const posted = h.slackApi.chatCalls().length;
    expect(posted).toBeGreaterThan(0);

    const retry = await h.notify(body);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ status: 'duplicate', id });
    await h.incidents.settled();
    expect(h.slackApi.chatCalls()).toHaveLength(posted);
    expect(await h.redis.ttl(h.incidents.queue.deliveryKey(id))).toBeGreaterThan(3_000);
  });
});

describe('a PagerDuty sender without a signature', () => {
  it('is refused with 401 before it has sent its body', { timeout: 10_000 }, async () => {
    const { hostname, port } = new URL(h.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: hostname, port, method: 'POST', path: '/webhooks/pagerduty', headers: { 'content-type': 'application/json', 'content-length': String(1_000_000) } });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', (error) => (error.message.includes('socket hang up') || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      // Headers only: the body never comes.
      req.flushHeaders();
    });
    expect(status).toBe(401);
  });
});
