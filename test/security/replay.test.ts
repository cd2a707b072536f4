import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src/pipeline/command.js';
import { PolicyHarness, people, randomChannel } from '../policy/support.js';

let h: PolicyHarness;
beforeAll(() => {
  h = new PolicyHarness('security-replay');
});
afterAll(async () => {
  await h.close();
});

const { ada, bob, olly } = people('slack');

describe('button values carry only opaque ids', () => {
  it('refuses a Confirm replayed from another conversation and leaves the plan waiting', async () => {
    const chat = h.chat('slack');
    const planned = (await h.type(chat, olly, 'scale maestro-orchestrator --env prod')) as Extract<CommandResult, { kind: 'needs_confirmation' }>;
    const replayed = await h.press(chat, olly, 'plan.confirm', planned.confirmId, randomChannel('slack'));
    expect(replayed).toEqual({ kind: 'failed', error: 'This button belongs to another conversation; nothing was done.' });
    expect(h.jobs.submitted).toHaveLength(0);
    expect((await h.press(chat, olly, 'plan.confirm', planned.confirmId)).kind).toBe('queued');
  });

  it('refuses a Confirm replayed from the same channel id on another platform', async () => {
    const chat = h.chat('slack');
    const planned = (await h.type(chat, olly, 'scale victor-coordinators --env prod')) as Extract<CommandResult, { kind: 'needs_confirmation' }>;
    const teamsTwin = { platform: 'teams' as const, id: 'C0PAGER' };
    expect(await h.press(chat, people('teams').olly, 'plan.confirm', planned.confirmId, teamsTwin)).toMatchObject({ kind: 'failed' });
  });

  it('refuses an Approve replayed by another user from another channel, and the request can still be approved', async () => {
    const chat = h.chat('slack');
    const requested = (await h.type(chat, ada, 'rollback notification-agent --env prod')) as Extract<CommandResult, { kind: 'awaiting_approval' }>;
    const replayed = await h.press(chat, bob, 'approval.approve', requested.approvalId, randomChannel('slack'));
    expect(replayed).toEqual({ kind: 'failed', error: 'This button belongs to another conversation; nothing was done.' });
    expect((await h.press(chat, bob, 'approval.approve', requested.approvalId)).kind).toBe('queued');
  });

  it('refuses values that are not ids this bot handed out', async () => {
    const chat = h.chat('slack');
    for (const forged of ['', 'c', '{"verb":"rollback"}', 'cAAAAAAAAAAAA', 'aAAAAAAAAAAAA', 'a'.repeat(5000)]) {
      expect((await h.press(chat, bob, 'plan.confirm', forged)).kind).toBe('failed');
      expect((await h.press(chat, bob, 'approval.approve', forged)).kind).toBe('failed');
    }
    expect(h.ports.calls.filter((c) => c.startsWith('execute'))).toEqual([]);
  });
});
