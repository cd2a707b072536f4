import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED } from '../../src/alerts/buttons.js';
import type { InteractionRequest } from '../../src/core/request.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { notification } from '../fixtures/alertmanager/notifications.js';
import { type AlertsHarness, catalog, startAlertsHarness } from './harness.js';

let sandbox: Sandbox;
let h: AlertsHarness;

beforeAll(async () => {
  sandbox = await startSandbox({ catalog, rolloutIntervalMs: 50 });
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  await h.close();
});

const ada = { id: 'U1', name: 'ada', platform: 'slack' as const };

function press(value: string, threadId?: string): InteractionRequest {
  return {
    kind: 'interaction',
    id: 'press-1',
    actor: ada,
    conversation: { platform: 'slack', id: '#maestro-pager' },
    ...(threadId ? { threadId } : {}),
    actionId: 'alert.action',
    value,
  };
}

async function firingCard() {
  const res = await h.send(notification('{}:{alertname="MaestroHighErrorRate"}', [{ alertname: 'MaestroHighErrorRate', fingerprint: 'fp1' }]));
  expect(res.status).toBe(200);
  await h.settled();
  return h.slack.posts()[0]!;
}

describe('alert card buttons', () => {
  it('run the Status button as `status maestro-orchestrator --env prod` against the cluster, answered in the card thread', async () => {
    h = await startAlertsHarness('status-button', { sandbox });
    const card = await firingCard();
    const status = card.message.actions!.find((a) => a.label === 'Status')!;
    const result = await h.interactions.handle(press(status.value!, card.ref.id), h.slack);
    expect(result).toEqual({ kind: 'answered' });
    const answer = h.slack.posts().find((p) => p.ref.threadId === card.ref.id);
    expect(answer?.message.title).toBe('maestro-orchestrator in prod');
    expect(answer?.message.fields?.length).toBeGreaterThan(0);
  });

  it('thread the command under the card of the conversation pressed in, whatever thread the press reports', async () => {
    h = await startAlertsHarness('thread', { sandbox });
    const card = await firingCard();
    const status = card.message.actions!.find((a) => a.label === 'Status')!;
    await h.interactions.handle(press(status.value!), h.slack);
    expect(h.slack.posts().filter((p) => p.ref.threadId === card.ref.id)).toHaveLength(1);
  });

  it('ask for confirmation of a Roll back in prod, in the card thread, as a typed rollback would', async () => {
    h = await startAlertsHarness('rollback-button', { sandbox });
    const card = await firingCard();
    const rollback = card.message.actions!.find((a) => a.label === 'Roll back')!;
    const result = await h.interactions.handle(press(rollback.value!, card.ref.id), h.slack);
    expect(result.kind).toBe('needs_confirmation');
    expect(result.kind === 'needs_confirmation' && result.ref.threadId).toBe(card.ref.id);
  });

  it('refuse a forged id and run nothing', async () => {
    h = await startAlertsHarness('forged', { sandbox });
    const card = await firingCard();
    const before = h.slack.calls.length;
    for (const value of ['0123456789abcdef01234567', '../incident:*', '']) {
      expect(await h.interactions.handle(press(value, card.ref.id), h.slack)).toEqual({ kind: 'failed', error: EXPIRED });
    }
    expect(h.slack.calls).toHaveLength(before);
  });

  it('keep the same button ids across edits of the card', async () => {
    h = await startAlertsHarness('stable-ids', { sandbox });
    const card = await firingCard();
    await h.send(
      notification('{}:{alertname="MaestroHighErrorRate"}', [
        { alertname: 'MaestroHighErrorRate', fingerprint: 'fp1' },
        { alertname: 'MaestroHighErrorRate', fingerprint: 'fp2' },
      ]),
    );
    await h.settled();
    const edited = h.slack.current(card.ref.id)!;
    expect(edited.actions?.map((a) => a.value)).toEqual(card.message.actions?.map((a) => a.value));
  });
});
