import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/core/audit.js';
import { incidentIdFor } from '../../src/incidents/incident.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { type AlertHarness, catalog, pagedIncident, startAlertHarness } from './support/harness.js';
import { threadPosts } from './support/thread.js';

/**
 * Alert paging and verification resolving are maestro-bot's own commands through
 * the pipeline, under the policy: their audit records are the one intended change
 * of behaviour, and without the catalog's `automatic-changes` rule they are denied.
 */
const bot = (entries: AuditEntry[], action: string) => entries.filter((e) => e.actor.id === 'maestro-bot' && e.action === action);

describe('automatic changes under the shipped policy', () => {
  let h: AlertHarness;
  beforeAll(async () => {
    h = await startAlertHarness('automatic', { policy: true });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.slackApi.reset();
    h.pd.reset();
  });

  it('audits the page as maestro-bot, platform system, allowed by the automatic-changes rule, and runs it as a job', async () => {
    const { group, ts } = await pagedIncident(h);
    // prod is protected, yet no card waits for a Confirm press: the bot's change is confirmed upfront.
    const thread = threadPosts(h.slackApi, ts);
    expect(thread).toHaveLength(1);
    expect(JSON.stringify(thread[0]!.body.blocks)).not.toContain('plan.confirm');
    const number = (await h.incidents.store.get(incidentIdFor(group)))!.number;
    const typed = bot(h.audit.entries, 'page').find((e) => e.text?.includes(`--incident ${number}`));
    const records = h.audit.entries.filter((e) => e.requestId === typed?.requestId);
    expect(records.every((e) => e.actor.platform === 'system' && e.actor.name === 'maestro-bot')).toBe(true);
    const allowed = records.find((e) => e.type === 'command' && e.decision === 'allowed');
    expect(allowed?.detail).toMatchObject({ rule: 'automatic-changes' });
    expect(records.map((e) => e.type)).toEqual(expect.arrayContaining(['command', 'decision', 'job.started', 'job.finished']));
    expect(h.pd.events).toHaveLength(1);
  });

  it('audits the verification resolve as maestro-bot under the automatic-changes rule', async () => {
    await pagedIncident(h);
    await h.incidents.resolver!.resolve('maestro-orchestrator', 'prod', 'verification passed: held for 10m');
    await h.incidents.settled();
    const resolves = bot(h.audit.entries, 'resolve');
    expect(resolves.length).toBeGreaterThan(0);
    expect(resolves.every((e) => e.actor.platform === 'system')).toBe(true);
    expect(resolves.some((e) => e.decision === 'allowed' && (e.detail as { rule?: string } | undefined)?.rule === 'automatic-changes')).toBe(true);
    expect(h.pd.restCalls('PUT', /^\/incidents\//).map((c) => c.body)).toEqual([{ incident: { type: 'incident_reference', status: 'resolved' } }]);
  });
});

describe('automatic changes without the automatic-changes rule', () => {
  let h: AlertHarness;
  const withoutRule = { ...catalog, policy: { ...catalog.policy, rules: catalog.policy.rules.filter((r) => r.name !== 'automatic-changes') } };
  beforeAll(async () => {
    h = await startAlertHarness('automatic-denied', { policy: true, catalog: withoutRule });
  });
  afterAll(async () => {
    await h.close();
  });

  it('does not page, audits the page as denied and says so in the incident thread', async () => {
    const group = `{}:{alertname="MaestroHighErrorRate", denied="${Date.now()}"}`;
    expect((await h.notify(highErrorRate(group))).status).toBe(200);
    await h.incidents.settled();
    expect(h.pd.events).toHaveLength(0);
    const denied = bot(h.audit.entries, 'page').filter((e) => e.decision === 'denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]!.actor).toMatchObject({ id: 'maestro-bot', platform: 'system' });
    const ts = String(h.slackApi.succeeded('chat.postMessage').find((c) => !c.body.thread_ts)!.response!.ts);
    const said = threadPosts(h.slackApi, ts).map((c) => String(c.body.text));
    expect(said).toEqual([expect.stringMatching(/platform system|not allowed|denied|no rule/i)]);
  });
});
