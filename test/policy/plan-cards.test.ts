import { afterEach, describe, expect, it } from 'vitest';
import type { RecordingChat } from '../fixtures/recording-chat.js';
import { PolicyHarness, people } from './support.js';

let h: PolicyHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const { ada, bob } = people('slack');

/** The plan card's last state: its footer, and whether it still has buttons. */
function lastCard(chat: RecordingChat, refId: string) {
  const edits = chat.updates(refId);
  const message = edits.length > 0 ? edits.at(-1)!.message : chat.posts().find((p) => p.ref.id === refId)!.message;
  return { footer: message.footer ?? '', buttons: message.actions?.length ?? 0 };
}

describe('the plan card tells the truth about who confirmed and whether it runs', () => {
  it('says no one was asked in an environment that asks for no confirmation', async () => {
    h = new PolicyHarness('card-unprotected');
    const chat = h.chat('slack');
    const result = await h.type(chat, ada, 'scale maestro-orchestrator --env dev');
    expect(result.kind).toBe('queued');
    const card = chat.posts()[0]!;
    expect(card.message.footer).toMatch(/^Running as a job \(dev asks for no confirmation\)\. Requested by ada\.$/);
    expect(card.message.footer).not.toContain('Confirmed');
  });

  it('names who pressed Confirm in a protected environment', async () => {
    h = new PolicyHarness('card-confirmed');
    const chat = h.chat('slack');
    const planned = await h.type(chat, ada, 'scale maestro-orchestrator --env prod');
    expect(planned.kind).toBe('needs_confirmation');
    const { confirmId, ref } = planned as { confirmId: string; ref: { id: string } };
    expect((await h.press(chat, bob, 'plan.confirm', confirmId)).kind).toBe('queued');
    expect(lastCard(chat, ref.id).footer).toMatch(/^Confirmed by bob: running as a job\. Requested by ada\. Job \d+\.$/);
  });

  it('ends a change refused as busy at "refused" on its card, as in the audit record, with the reason in its thread', async () => {
    h = new PolicyHarness('card-busy');
    const chat = h.chat('slack');
    // No worker runs here: the first job keeps the deployment's lock.
    const first = await h.type(chat, ada, 'scale maestro-orchestrator --env dev');
    expect(first.kind).toBe('queued');
    const second = await h.type(chat, bob, 'scale maestro-orchestrator --env dev');
    const busy = `busy: job ${(first as { jobNumber: number }).jobNumber} (scale by ada) is running`;
    expect(second).toEqual({ kind: 'failed', error: busy, shown: true });

    const card = chat.posts()[1]!.ref;
    expect(lastCard(chat, card.id)).toEqual({ footer: `Refused: ${busy}. Nothing was changed. Requested by bob.`, buttons: 0 });
    expect(chat.replies(card.id).map((r) => r.message.text)).toEqual([busy]);
    const refused = (await h.trail()).filter((e) => e.decision === 'refused');
    expect(refused).toEqual([expect.objectContaining({ type: 'decision', action: 'scale', env: 'dev', result: busy })]);
    expect((await h.trail()).some((e) => e.result?.startsWith('queued as job') && e.actor.id === bob.id)).toBe(false);
  });

  it('takes the Confirm button off a protected plan refused as busy and says refused', async () => {
    h = new PolicyHarness('card-busy-confirm');
    const chat = h.chat('slack');
    const first = await h.type(chat, ada, 'scale maestro-orchestrator --env prod');
    await h.press(chat, ada, 'plan.confirm', (first as { confirmId: string }).confirmId);
    const second = await h.type(chat, bob, 'scale maestro-orchestrator --env prod');
    const { confirmId, ref } = second as { confirmId: string; ref: { id: string } };
    const pressed = await h.press(chat, bob, 'plan.confirm', confirmId);
    expect(pressed).toMatchObject({ kind: 'failed', error: expect.stringMatching(/^busy: job \d+ \(scale by ada\) is running$/) });
    expect(lastCard(chat, ref.id)).toMatchObject({ footer: expect.stringMatching(/^Refused: busy: job \d+/), buttons: 0 });
  });
});
