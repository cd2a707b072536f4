import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/core/metrics.js';
import type { SlackTestPorts } from '../fixtures/slack-actions.js';
import { metricSamples } from '../support/metric-value.js';
import { botAddedToTeam, CHANNEL_ID, channelCommand, TEAM_ID } from '../teams/support/activities.js';
import { startTeamsHarness, type TeamsHarness } from '../teams/support/harness.js';

const INCIDENTS = '19:incidents0000000000000000000000@thread.tacv2';
const CALLS = 'maestro_bot_chat_calls_total';
const RETRIES = 'maestro_bot_chat_retries_total';

/**
 * Bot Connector calls, counted where TeamsChat sends them: each post or edit once after its
 * retries, each retry of its own by the status Teams answered (the fake connector answers 412,
 * 429 and 5xx, the answers learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * tells bots to retry; test/fakes/bot-connector.ts). The SDK's
 * HTTP pipeline retries 429 and 5xx itself before TeamsChat sees them; those are not counted yet.
 */
describe('Teams chat API calls and retries', () => {
  let h: TeamsHarness;
  let metrics: Metrics;
  beforeAll(async () => {
    metrics = new Metrics({ defaultMetrics: false });
    h = await startTeamsHarness('chat-metrics', { ports: { executions: [] } satisfies SlackTestPorts, metrics });
    h.fake.channels = [{ id: TEAM_ID }, { id: INCIDENTS, name: 'Maestro Incidents' }, { id: CHANNEL_ID, name: 'Deployments' }];
    expect((await h.send(botAddedToTeam(h.fake.url))).status).toBe(200);
  }, 20_000);
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.fake.reset();
    metrics.registry.resetMetrics();
  });

  it('counts an edit the connector refused once with 412 as one call and one retry for 412', async () => {
    const ref = await h.teams.chat.post(INCIDENTS, { title: 'Flaky' });
    h.fake.failNext('update', { status: 412 });
    await h.teams.chat.update(ref, { title: 'Flaky, edited' });

    expect(h.fake.calls.filter((c) => c.kind === 'update').map((c) => c.status)).toEqual([412, 200]);
    expect(await metricSamples(metrics, CALLS)).toEqual({
      'platform=teams,method=sendActivity,outcome=ok': 1,
      'platform=teams,method=updateActivity,outcome=ok': 1,
    });
    expect(await metricSamples(metrics, RETRIES)).toEqual({ 'platform=teams,method=updateActivity,reason=412': 1 });
  });

  it('counts a refusal the connector keeps giving as one failed call, never retried', async () => {
    h.fake.failNext('send', { status: 403 });
    await expect(h.teams.chat.post(INCIDENTS, { title: 'blocked' })).rejects.toThrow(/HTTP 403/);

    expect(await metricSamples(metrics, CALLS)).toEqual({ 'platform=teams,method=sendActivity,outcome=error': 1 });
    expect(await metricSamples(metrics, RETRIES)).toEqual({});
  });

  it("counts the answer to an @mention, sent through the adapter's own chat rather than the shared map", { timeout: 10_000 }, async () => {
    expect((await h.send(channelCommand(h.fake.url, 'status maestro-orchestrator'))).status).toBe(200);
    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    await expect.poll(() => metricSamples(metrics, CALLS)).toEqual({ 'platform=teams,method=sendActivity,outcome=ok': 1 });
  });

  it("counts a worker chat's posts too: every TeamsChat is metered, not only the adapter's", async () => {
    await h.workerChat().post('Maestro Incidents', { title: 'from a worker' });
    expect(await metricSamples(metrics, CALLS)).toEqual({ 'platform=teams,method=sendActivity,outcome=ok': 1 });
  });
});
