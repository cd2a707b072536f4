import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertsHarness, startAlertsHarness } from './harness.js';

const firing = JSON.parse(readFileSync(new URL('../fixtures/alertmanager/firing-high-error-rate.json', import.meta.url), 'utf8'));

let h: AlertsHarness;

afterEach(async () => {
  await h.close();
});

async function nothingPosted(): Promise<void> {
  await h.settled();
  expect(h.slack.calls).toEqual([]);
  expect(h.teams.calls).toEqual([]);
  expect(await h.alerts.queue.count()).toBe(0);
}

describe('POST /webhooks/alertmanager refuses', () => {
  it('a request without a bearer token with 401', async () => {
    h = await startAlertsHarness('no-token');
    const res = await h.send(firing, { token: null });
    expect(res.status).toBe(401);
    await nothingPosted();
  });

  it('a wrong bearer token with 401', async () => {
    h = await startAlertsHarness('wrong-token');
    const res = await h.send(firing, { token: 'not-the-token-at-all-0000000000' });
    expect(res.status).toBe(401);
    await nothingPosted();
  });

  it('everything with 503 when no token is configured', async () => {
    h = await startAlertsHarness('unconfigured', { token: null });
    const res = await h.send(firing, { token: 'anything-at-all-000000000000' });
    expect(res.status).toBe(503);
    await nothingPosted();
  });

  it('malformed JSON with 400', async () => {
    h = await startAlertsHarness('malformed');
    const res = await h.send(undefined, { raw: '{"version": "4", ' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/malformed JSON/);
    await nothingPosted();
  });

  it('a body that is not a version 4 payload with 400 and the problems', async () => {
    h = await startAlertsHarness('invalid');
    const res = await h.send({ ...firing, version: '3', alerts: [{ status: 'burning' }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { path: string }[] };
    const paths = body.problems.map((p: { path: string }) => p.path);
    expect(paths).toContain('version');
    expect(paths).toContain('alerts.0.status');
    await nothingPosted();
  });

  it('a body over 1 MB with 413', async () => {
    h = await startAlertsHarness('oversized');
    const big = { ...firing, commonAnnotations: { description: 'x'.repeat(1024 * 1024 + 1) } };
    const res = await h.send(big);
    expect(res.status).toBe(413);
    await nothingPosted();
  });
});

describe('POST /webhooks/alertmanager accepts', () => {
  it('a valid notification with 200 and queues it once however often it is retried', async () => {
    h = await startAlertsHarness('accept');
    expect((await h.send(firing)).status).toBe(200);
    expect((await h.send(firing)).status).toBe(200);
    await h.settled();
    const jobs = await h.alerts.queue.getJobs(['completed', 'failed', 'waiting', 'active']);
    expect(jobs).toHaveLength(1);
  });

  it('fields newer Alertmanagers add, such as notification_reason', async () => {
    h = await startAlertsHarness('newer-fields');
    expect((await h.send({ ...firing, notification_reason: 'new_alerts' })).status).toBe(200);
  });
});
