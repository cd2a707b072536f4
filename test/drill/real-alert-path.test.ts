import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackButtons, slackPress } from '../alerts/support/presses.js';
import type { SlackCall } from '../fakes/slack-api.js';
import { postSlack, slashCommandBody } from '../slack/support/slack-requests.js';
import { type DrillStack, hasDrillParts, isProdCard, nextCall as nextSlackCall, textOf, SAM, SKY, startDrillStack, TEAMS_INCIDENTS, VERIFY_WINDOW } from '../support/drill-stack.js';
import { testPrefix } from '../support/redis.js';

/**
 * The drill on real parts (issue 19): the bot's built-in sandbox runs the bad release,
 * Debian's Prometheus scrapes its /metrics and evaluates the catalog's rules, Debian's
 * Alertmanager routes MaestroHighErrorRate with the shipped receiver.yaml to the bot's
 * webhook (bearer token), the card lands in Slack and Teams, two sre members roll back,
 * verification reads the real Prometheus, and the resolved alert closes the card.
 * `npm run drill` runs the same parts (test/support/drill-stack.ts) for people.
 */

// CI budget: 3 minutes for the whole walk (the tests' timeouts add up to 180 s, after a
// 60 s start); it takes about 75 s on two cores. No retry: each step stands on the one
// before, so a retried step would only wait again on a walk already broken.
describe.runIf(hasDrillParts || process.env.CI)('the drill on a real Prometheus and Alertmanager', { retry: 0 }, () => {
  let stack: DrillStack;
  let fake: DrillStack['slack'];
  let connector: DrillStack['connector'];
  let bot: DrillStack['bot'];

  beforeAll(async () => {
    stack = await startDrillStack(testPrefix('drill').replaceAll(':', '-'));
    ({ slack: fake, connector, bot } = stack);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  }, 30_000);

  const sam = SAM;
  const sky = SKY;
  const nextCall = (method: string, matching: (c: SlackCall) => boolean, timeoutMs: number) => nextSlackCall(fake, method, matching, timeoutMs);
  /** Prometheus's own count of answered /api/v1/query requests (its prometheus_http_requests_total). */
  async function instantQueriesServed(url: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('prometheus_http_requests_total{code="200",handler="/api/v1/query"}'));
    return line ? Number(line.split(' ').pop()) : 0;
  }
  let card: SlackCall;
  let cardTs: string;

  it('posts MaestroHighErrorRate for the bad release as an incident card with a Roll back button', { timeout: 50_000 }, async () => {
    card = await nextCall('chat.postMessage', isProdCard, 45_000);
    cardTs = String(card.response!.ts);
    expect(card.body.channel).toBe('#maestro-pager');
    expect(slackButtons(card).map((b) => b.text.text)).toContain('Roll back');
  });

  it("rolls back on an sre member's press of Roll back once a second sre member approves", { timeout: 25_000 }, async () => {
    const rollBack = slackButtons(card).find((b) => b.text.text === 'Roll back')!;
    expect(rollBack.action_id).toMatch(/^alert\.action\./);
    expect((await postSlack(bot.url, slackPress(card, rollBack, sam))).status).toBe(200);

    const approval = await nextCall('chat.postMessage', (c) => c.body.thread_ts === cardTs && textOf(c).includes('Waiting for approval by sre'), 5_000);
    const approve = slackButtons(approval).find((b) => b.action_id === 'approval.approve')!;
    expect((await postSlack(bot.url, slackPress(approval, approve, sky))).status).toBe(200);

    const result = await nextCall('chat.postMessage', (c) => c.body.thread_ts === cardTs && textOf(c).includes('Rolled back maestro-orchestrator'), 18_000);
    expect(result.body.channel).toBe(card.response!.channel);
  });

  it('verifies the rollback against the real Prometheus and says it passed in the thread', { timeout: 65_000 }, async () => {
    const queriesBefore = await instantQueriesServed(stack.prometheus.url);
    const passed = await nextCall('chat.postMessage', (c) => c.body.thread_ts === cardTs && textOf(c).includes('Verification passed: maestro-orchestrator in prod'), 60_000);
    // The error-rate reading came from the real Prometheus (a number, not "no data" or "metrics unavailable").
    expect(textOf(passed)).toMatch(/\*error_rate\*\\n[\d.]+% healthy/);
    expect(textOf(passed)).not.toContain('metrics unavailable');
    // Ten checks, each reading every indicator: the readings were the real Prometheus's answers, not the sandbox's.
    expect((await instantQueriesServed(stack.prometheus.url)) - queriesBefore).toBeGreaterThanOrEqual(10);
  });

  it('edits the card in place to resolved when Alertmanager sends resolved', { timeout: 15_000 }, async () => {
    const resolved = await nextCall('chat.update', (c) => c.body.ts === cardTs && textOf(c).includes('Resolved') && textOf(c).includes('0 firing'), 10_000);
    expect(resolved.body.channel).toBe(card.response!.channel);
  });

  it("sends the same card to the catalog's Teams channel and edits it there to resolved", { timeout: 10_000 }, async () => {
    const isProd = (c: { body: Record<string, unknown> }) => JSON.stringify(c.body).includes('MaestroHighErrorRate') && JSON.stringify(c.body).includes('prod');
    const sent = connector.activityCalls('send').find((c) => c.conversationId === TEAMS_INCIDENTS && isProd(c));
    expect(sent).toBeDefined();
    await connector.waitFor(() => connector.activityCalls('update').some((u) => u.conversationId === TEAMS_INCIDENTS && isProd(u) && JSON.stringify(u.body).includes('RESOLVED')), 5_000);
  });

  it('keeps a complete evidence record of the rollback: revision, image, who, approver, verdict', { timeout: 15_000 }, async () => {
    const before = fake.calls.length;
    const asked = slashCommandBody({ text: 'history maestro-orchestrator --evidence', user_id: sam.id, user_name: sam.name, channel_id: 'C0PAGER', channel_name: 'maestro-pager' });
    expect((await postSlack(bot.url, asked)).status).toBe(200);
    const record = await nextCall('chat.postMessage', (c) => fake.calls.indexOf(c) >= before && textOf(c).includes('Rollback evidence of maestro-orchestrator'), 10_000);
    const text = textOf(record);
    expect(text).toContain('1 rollback recorded');
    for (const cell of ['prod', 'k8s', '7 → 8 (template 6)', 'v2.8.0 → v2.7.3', 'sam', 'pass', 'approved by sky', `held for ${VERIFY_WINDOW}`]) expect(text).toContain(cell);
  });
});
