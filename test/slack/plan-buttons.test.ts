
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { postedPlan, type SlackHarness, startSlackHarness } from './support/harness.js';
import { buttonBody, postSlack, slashCommandBody } from './support/slack-requests.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness('buttons');
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  // Whatever the previous test's requests still had in hand must not land in this one's counts.
  await h.slack.idle();
  h.fake.reset();
  h.ports.executions.length = 0;
});

/** Runs `/maestro bump <service>`; returns the posted plan's ts and the confirmation id its Confirm carries. */
function planFor(service: string): Promise<{ planTs: string; confirmId: string }> {
  return postedPlan(h.fake, () => postSlack(h.url, slashCommandBody({ text: `bump ${service}` })));
}

describe('plan buttons', () => {
  it('runs the job on Confirm, edits the plan with progress and replies with the result in its thread', async () => {
    // Steps long enough for a progress edit to go out between them even on a busy machine:
    // edits are coalesced, so a job that ends within one interval shows only its end.
    h.ports.stepMs = 200;
    onTestFinished(() => {
      h.ports.stepMs = 30;
    });
    const { confirmId, planTs } = await planFor('maestro-orchestrator');
    const response = await postSlack(h.url, buttonBody({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs }));
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(3000);

    await h.fake.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.body.thread_ts === planTs && String(c.body.text).includes('Bumped')));
    const edits = h.fake.succeeded('chat.update').filter((c) => c.body.ts === planTs);
    expect(edits.some((e) => String(e.body.text).includes('/3'))).toBe(true);
    expect(h.ports.executions).toHaveLength(1);
  });

  it('says, only to the presser, that a plan was already handled when Confirm is pressed twice', async () => {
    const { confirmId, planTs } = await planFor('maestro-premium-router');
    await postSlack(h.url, buttonBody({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs }));
    await postSlack(h.url, buttonBody({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs, userId: 'U0EVE', userName: 'eve' }));

    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    const [ephemeral] = h.fake.succeeded('chat.postEphemeral');
    expect(ephemeral!.body.user).toBe('U0EVE');
    expect(String(ephemeral!.body.text)).toContain('already handled');
    await h.fake.waitFor((calls) => calls.some((c) => c.body.thread_ts === planTs && String(c.body.text).includes('Bumped')));
    expect(h.ports.executions).toHaveLength(1);
  });

  it('runs the job once when Slack retries the same Confirm delivery', async () => {
    const { confirmId, planTs } = await planFor('notification-agent');
    const body = buttonBody({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs });
    await postSlack(h.url, body);
    await postSlack(h.url, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });

    await h.fake.waitFor((calls) => calls.some((c) => c.body.thread_ts === planTs && String(c.body.text).includes('Bumped')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.ports.executions).toHaveLength(1);
    // The retry is recognised as the same press, not reported as a second one.
    expect(h.fake.succeeded('chat.postEphemeral')).toHaveLength(0);
  });

  it('marks the plan cancelled on Cancel and runs nothing', async () => {
    const { confirmId, planTs } = await planFor('victor-coordinators');
    await postSlack(h.url, buttonBody({ actionId: 'plan.cancel', value: confirmId, messageTs: planTs }));

    await h.fake.waitFor(() => h.fake.succeeded('chat.update').some((c) => c.body.ts === planTs && String(c.body.text).includes('Cancelled')));
    const cancelled = h.fake.succeeded('chat.update').find((c) => c.body.ts === planTs)!;
    expect(JSON.stringify(cancelled.body.blocks)).not.toContain('plan.confirm');
    expect(h.ports.executions).toHaveLength(0);
  });

  it('refuses Confirm after Cancel, telling the presser', async () => {
    const { confirmId, planTs } = await planFor('maestro-orchestrator');
    await postSlack(h.url, buttonBody({ actionId: 'plan.cancel', value: confirmId, messageTs: planTs }));
    await h.fake.waitFor(() => h.fake.succeeded('chat.update').length > 0);
    await postSlack(h.url, buttonBody({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs }));

    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    expect(String(h.fake.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('cancelled by bob');
    expect(h.ports.executions).toHaveLength(0);
  });

  it('says busy once, in the plan\'s thread, when Confirm meets a deployment another job holds', async () => {
    h.ports.stepMs = 500;
    try {
      const first = await planFor('maestro-orchestrator');
      const second = await planFor('maestro-orchestrator');
      await postSlack(h.url, buttonBody({ actionId: 'plan.confirm', value: first.confirmId, messageTs: first.planTs }));
      await h.fake.waitFor(() => h.ports.executions.length === 1);
      await postSlack(h.url, buttonBody({ actionId: 'plan.confirm', value: second.confirmId, messageTs: second.planTs, userId: 'U0EVE', userName: 'eve' }));

      await h.fake.waitFor((calls) => calls.some((c) => c.body.thread_ts === second.planTs && String(c.body.text).includes('busy')));
      await h.fake.waitFor((calls) => calls.some((c) => c.body.thread_ts === first.planTs && String(c.body.text).includes('Bumped')));
      const busy = h.fake.chatCalls().filter((c) => String(c.body.text).includes('busy'));
      // Once in the thread; the plan card itself now ends at "Refused", its Confirm button gone.
      expect(busy.map((c) => c.method).sort()).toEqual(['chat.postMessage', 'chat.update']);
      const card = busy.find((c) => c.method === 'chat.update')!;
      expect(card.body.ts).toBe(second.planTs);
      expect(String(card.body.text)).toContain('Refused: busy:');
      expect(JSON.stringify(card.body.blocks)).not.toContain('plan.confirm');
      expect(h.ports.executions).toHaveLength(1);
    } finally {
      h.ports.stepMs = 30;
    }
  });

  it('tells the presser that a button it does not know was not handled', async () => {
    const response = await postSlack(h.url, buttonBody({ actionId: 'alert.rollback', value: 'x', messageTs: '1700000000.000001' }));
    expect(response.status).toBe(200);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    expect(String(h.fake.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('not handled');
    expect(h.ports.executions).toHaveLength(0);
  });
});
