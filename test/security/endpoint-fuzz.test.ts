import { createHmac } from 'node:crypto';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_QUEUE } from '../../src/jobs/job-data.js';
import { type AlertHarness, ALERTMANAGER_TOKEN, PD_SECRETS, startAlertHarness } from '../alerts/support/harness.js';
import { pdEvent, pdIncident } from '../fixtures/pagerduty/webhook-events.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { postSlack, slashCommandPayload } from '../slack/support/slack-requests.js';
import { recordingLog } from '../support/recording-log.js';

/**
 * Malformed bodies, signed or authenticated as a real sender would, at every endpoint
 * that takes them: 0 crashes (no error logged, the listener answers), 0 5xx for input
 * that can never succeed, 0 actions from invalid input. A fixed seed, so CI runs the
 * same inputs every time (FUZZ_SEED explores others). CI budget: 60 s per endpoint;
 * about 5-15 s each on two shared cores.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = 150;
const BUDGET_MS = 60_000;

const recorded = recordingLog('warn');
let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('endpoint-fuzz', { log: recorded.log });
}, 30_000);
afterAll(async () => {
  await h.close();
});

async function noCrashAndNoActions(): Promise<void> {
  expect((await fetch(`${h.url}/health/live`)).status).toBe(200);
  const errors = recorded.lines().filter((line) => Number(line.level) >= 50);
  expect(errors.map((line) => `${line.msg}: ${JSON.stringify(line.err ?? '').slice(0, 300)}`)).toEqual([]);
  const actions = new Queue(ACTION_QUEUE, { connection: h.redis, prefix: h.prefix });
  expect(await actions.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
  await actions.close();
  expect(await h.redis.keys(`${h.prefix}:alert-delivery:*`)).toEqual([]);
}

/** Any JSON text at all, or text that is not JSON, or JSON nested past any limit. */
const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.integer({ min: 65, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

/** A JSON object text broken by construction: cut short, a required key dropped or mistyped, or nested too deep under an extra key. */
function broken(valid: Record<string, unknown>, required: string[]): fc.Arbitrary<string> {
  const text = JSON.stringify(valid);
  const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
  return fc.oneof(
    fc.integer({ min: 1, max: text.length - 1 }).map((at) => text.slice(0, at)),
    fc.constantFrom(...required).map((key) => JSON.stringify({ ...valid, [key]: undefined })),
    fc.tuple(fc.constantFrom(...required), wrongType).map(([key, value]) => JSON.stringify({ ...valid, [key]: value })),
    fc.integer({ min: 65, max: 5_000 }).map((n) => `${text.slice(0, -1)},"extra":${'{"x":'.repeat(n)}1${'}'.repeat(n)}}`),
    anyText,
  );
}

function sign(secret: string, raw: string): string {
  return `v1=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

describe('malformed bodies at every endpoint (fixed seed)', () => {
  it('Alertmanager: every broken notification gets a 4xx and is not queued', { timeout: BUDGET_MS }, async () => {
    const valid = highErrorRate('{}:{alertname="fuzz"}') as unknown as Record<string, unknown>;
    const required = ['version', 'groupKey', 'status', 'receiver', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL', 'alerts'];
    await fc.assert(
      fc.asyncProperty(broken(valid, required), async (raw) => {
        const response = await fetch(`${h.url}/webhooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
          body: raw,
        });
        await response.arrayBuffer();
        expect(response.status).toBe(400);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await noCrashAndNoActions();
  });

  it('PagerDuty: every broken signed event gets a 4xx and is not queued', { timeout: BUDGET_MS }, async () => {
    const valid = pdEvent('ev-fuzz', 'incident.acknowledged', pdIncident('PFUZZ', { status: 'acknowledged' })) as unknown as Record<string, unknown>;
    const brokenEvent = fc.oneof(
      broken(valid, ['event']),
      broken(valid.event as Record<string, unknown>, ['id', 'event_type']).map((event) => `{"event":${event}}`),
    );
    await fc.assert(
      fc.asyncProperty(brokenEvent, fc.boolean(), async (raw, signed) => {
        const response = await fetch(`${h.url}/webhooks/pagerduty`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(signed ? { 'x-pagerduty-signature': sign(PD_SECRETS[0]!, raw) } : {}) },
          body: raw,
        });
        await response.arrayBuffer();
        expect(response.status).toBe(signed ? 400 : 401);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await noCrashAndNoActions();
  });

  it('Slack JSON: every signed body gets 200 or 400, never a 5xx', { timeout: BUDGET_MS }, async () => {
    const body = fc.oneof(anyText, fc.dictionary(fc.constantFrom('type', 'event', 'challenge', 'team_id', 'payload', 'command'), fc.jsonValue({ maxDepth: 3 })).map((o) => JSON.stringify(o)));
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const response = await postSlack(h.url, raw, { headers: { 'content-type': 'application/json' } });
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await noCrashAndNoActions();
  });

  it('Slack forms: every signed slash command or interaction, however mangled, gets 200 or 400 and runs nothing', { timeout: BUDGET_MS }, async () => {
    const fields = Object.keys(slashCommandPayload({ text: 'help' }));
    const mangled = fc.tuple(
      fc.string({ maxLength: 80 }),
      fc.array(fc.oneof(fc.record({ drop: fc.constantFrom(...fields) }), fc.record({ repeat: fc.constantFrom(...fields), value: fc.string({ maxLength: 20 }) })), { maxLength: 4 }),
      fc.option(anyText, { nil: undefined }),
    );
    await fc.assert(
      fc.asyncProperty(mangled, async ([text, edits, payload]) => {
        const form = new URLSearchParams(slashCommandPayload({ text }));
        for (const edit of edits) {
          if ('drop' in edit) form.delete(edit.drop);
          else form.append(edit.repeat, edit.value);
        }
        if (payload !== undefined) form.set('payload', payload);
        const raw = form.toString();
        if (raw.length > 60_000) return;
        const response = await postSlack(h.url, raw);
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Acked commands are answered after the ack: let them finish before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await noCrashAndNoActions();
  });
});
