import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard, ExecuteAction, ShowCardAction } from '../../src/platforms/teams/adaptive-card.js';
import type { SlackTestPorts } from '../fixtures/slack-actions.js';
import { CHANNEL_ID, cardAction, channelCommand, submitAction } from './support/activities.js';
import { startTeamsHarness, type TeamsHarness } from './support/harness.js';

let h: TeamsHarness;
const ports: SlackTestPorts = { executions: [], steps: 3, stepMs: 30 };
beforeAll(async () => {
  h = await startTeamsHarness('card-actions', { ports });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
  ports.executions.length = 0;
});

function cardOf(body: Record<string, unknown>): AdaptiveCard {
  return (body.attachments as Array<{ content: AdaptiveCard }>)[0]!.content;
}

/** `@maestro bump <service>` in prod; returns the plan card's activity id, its thread and the confirmation id under Confirm. */
async function planFor(service: string): Promise<{ cardId: string; threadId: string; confirmId: string }> {
  const command = channelCommand(h.fake.url, `bump ${service}`);
  await h.send(command);
  await h.fake.waitFor(() => h.fake.activityCalls('send').length > 0);
  const sent = h.fake.activityCalls('send').at(-1)!;
  const ask = cardOf(sent.body).actions!.find((a): a is ShowCardAction => a.type === 'Action.ShowCard')!;
  const execute = ask.card.actions[0] as ExecuteAction;
  return { cardId: sent.id!, threadId: command.id, confirmId: execute.data.value };
}

describe('Teams card actions', () => {
  it('answers Confirm with the updated card, runs the job, edits the card with progress and replies with the result in the thread', async () => {
    const { cardId, threadId, confirmId } = await planFor('maestro-orchestrator');
    const response = await h.send(cardAction(h.fake.url, { verb: 'plan.confirm', value: confirmId, cardId, threadId }));

    expect(response.status).toBe(200);
    expect(response.json?.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = response.json?.value as AdaptiveCard;
    expect(JSON.stringify(card)).toContain('Confirmed by Bob: running as a job.');
    expect(card.actions).toBeUndefined();

    await h.fake.waitFor((calls) => calls.some((c) => c.kind === 'send' && JSON.stringify(c.body).includes('Bumped')));
    const result = h.fake.activityCalls('send').find((c) => JSON.stringify(c.body).includes('Bumped'))!;
    expect(result.conversationId).toBe(`${CHANNEL_ID};messageid=${threadId}`);
    const edits = h.fake.activityCalls('update').filter((c) => c.activityId === cardId);
    expect(edits.some((e) => JSON.stringify(e.body).includes('/3'))).toBe(true);
    expect(ports.executions).toHaveLength(1);
  });

  it('refuses a second Confirm with a message to the presser and runs the job once', async () => {
    const { cardId, threadId, confirmId } = await planFor('maestro-premium-router');
    await h.send(cardAction(h.fake.url, { verb: 'plan.confirm', value: confirmId, cardId, threadId }));
    const second = await h.send(cardAction(h.fake.url, { verb: 'plan.confirm', value: confirmId, cardId, threadId }));

    expect(second.json?.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(second.json?.value)).toContain('already handled');
    await h.fake.waitFor((calls) => calls.some((c) => c.kind === 'send' && JSON.stringify(c.body).includes('Bumped')));
    expect(ports.executions).toHaveLength(1);
  });

  it('marks the plan cancelled on Cancel and runs nothing', async () => {
    const { cardId, threadId, confirmId } = await planFor('victor-coordinators');
    const response = await h.send(cardAction(h.fake.url, { verb: 'plan.cancel', value: confirmId, cardId, threadId }));

    expect(response.json?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(response.json?.value)).toContain('Cancelled: nothing was changed.');
    expect(JSON.stringify(response.json?.value)).not.toContain('plan.confirm');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ports.executions).toHaveLength(0);
  });

  it('refuses a Confirm replayed from another conversation', async () => {
    const { cardId, confirmId } = await planFor('maestro-orchestrator');
    const response = await h.send(cardAction(h.fake.url, { verb: 'plan.confirm', value: confirmId, cardId, channelId: '19:other@thread.tacv2' }));
    expect(String(response.json?.value)).toContain('belongs to another conversation');
    expect(ports.executions).toHaveLength(0);
  });

  it('answers a button it does not know with a message and runs nothing', async () => {
    const response = await h.send(cardAction(h.fake.url, { verb: 'alert.rollback', value: 'x', cardId: '1700000000999' }));
    expect(response.json?.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(response.json?.value)).toContain('not handled');
    expect(ports.executions).toHaveLength(0);
  });

  it('runs a Confirm sent as Action.Submit by an older client, editing the card in place', async () => {
    const { cardId, threadId, confirmId } = await planFor('notification-agent');
    const response = await h.send(submitAction(h.fake.url, { verb: 'plan.confirm', value: confirmId, cardId, threadId }));
    expect(response.status).toBe(200);

    await h.fake.waitFor((calls) => calls.some((c) => c.kind === 'send' && JSON.stringify(c.body).includes('Bumped')));
    expect(h.fake.activityCalls('update').some((c) => c.activityId === cardId && JSON.stringify(c.body).includes('Confirmed'))).toBe(true);
    expect(ports.executions).toHaveLength(1);
  });
});

describe('Teams card actions delivered again', () => {
  it('runs a Confirm once when Teams delivers the same invoke twice, and answers the second without running it', async () => {
    const { cardId, threadId, confirmId } = await planFor('maestro-orchestrator');
    const press = cardAction(h.fake.url, { verb: 'plan.confirm', value: confirmId, cardId, threadId });
    await h.send(press);
    const again = await h.send(press);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: 'Already handled.' });
    await h.fake.waitFor((calls) => calls.some((c) => c.kind === 'send' && JSON.stringify(c.body).includes('Bumped')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ports.executions).toHaveLength(1);
    expect(h.fake.activityCalls('send').filter((c) => JSON.stringify(c.body).includes('Bumped'))).toHaveLength(1);
  });
});

describe('Teams card presses seen by everyone', () => {
  it('PUTs the cancelled card, without buttons, to the activity so the whole channel sees it', async () => {
    const { cardId, threadId, confirmId } = await planFor('victor-coordinators');
    await h.send(cardAction(h.fake.url, { verb: 'plan.cancel', value: confirmId, cardId, threadId }));
    await h.fake.waitFor((calls) => calls.some((c) => c.kind === 'update' && c.activityId === cardId));
    const put = h.fake.activityCalls('update').find((c) => c.activityId === cardId)!;
    expect(put.conversationId).toBe(`${CHANNEL_ID};messageid=${threadId}`);
    expect(JSON.stringify(put.body)).toContain('Cancelled: nothing was changed.');
    expect(cardOf(put.body).actions ?? []).toHaveLength(0);
    expect(JSON.stringify(put.body)).not.toContain('plan.confirm');
  });
});
