import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyHarness, lastEphemeral, people, randomChannel } from './support.js';

let h: PolicyHarness;
beforeAll(() => {
  h = new PolicyHarness('denied');
});
afterAll(async () => {
  await h.close();
});

const { eve, olly, ada } = people('slack');

describe('a command the policy denies', () => {
  it('tells the user which rule denied it, plans nothing, queues nothing and audits the rule', async () => {
    const chat = h.chat('slack');
    h.ports.calls.length = 0;
    const result = await h.type(chat, olly, 'rollback maestro-orchestrator --env prod');

    expect(result).toEqual({ kind: 'failed', error: 'denied by rule prod-rollback: only sre may roll back in prod. Nothing was done.' });
    expect(lastEphemeral(chat)).toBe('denied by rule prod-rollback: only sre may roll back in prod. Nothing was done.');
    expect(chat.posts()).toHaveLength(0);
    expect(h.ports.calls).toEqual([]);
    expect(h.jobs.submitted).toHaveLength(0);
    const record = (await h.trail()).find((e) => e.decision === 'denied' && e.actor.id === olly.id);
    expect(record).toMatchObject({ type: 'decision', action: 'rollback', service: 'maestro-orchestrator', env: 'prod', detail: { rule: 'prod-rollback' } });
  });

  it('refuses an unknown user any change but answers their read-only commands', async () => {
    const chat = h.chat('slack');
    await h.type(chat, eve, 'scale maestro-orchestrator --env dev');
    expect(lastEphemeral(chat)).toContain('denied by rule unknown-users-read-only');
    await h.type(chat, eve, 'status');
    expect(chat.posts().map((p) => p.message.title)).toEqual(['all fine']);
  });

  it('refuses a prod change typed outside the incident channels', async () => {
    const chat = h.chat('slack');
    const result = await h.type(chat, ada, 'scale maestro-orchestrator --env prod', randomChannel('slack'));
    expect(result).toMatchObject({ kind: 'failed', error: expect.stringContaining('denied by rule prod-from-incident-channels') });
    expect(chat.posts()).toHaveLength(0);
  });

  it('refuses a Confirm pressed by someone the policy would not let make the change', async () => {
    const chat = h.chat('slack');
    const planned = await h.type(chat, olly, 'scale maestro-orchestrator --env prod');
    expect(planned.kind).toBe('needs_confirmation');
    const confirmId = (planned as { confirmId: string }).confirmId;

    const pressed = await h.press(chat, eve, 'plan.confirm', confirmId);
    expect(pressed).toMatchObject({ kind: 'failed', error: expect.stringContaining('denied by rule unknown-users-read-only') });
    expect(h.jobs.submitted.filter((s) => s.key === confirmId)).toHaveLength(0);

    const confirmed = await h.press(chat, olly, 'plan.confirm', confirmId);
    expect(confirmed.kind).toBe('queued');
  });
});
