import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src/pipeline/command.js';
import type { RecordingChat } from '../fixtures/recording-chat.js';
import { PolicyHarness, people, randomChannel } from './support.js';

let h: PolicyHarness;
beforeAll(() => {
  h = new PolicyHarness('approvals', { ttl: '2m' });
});
afterAll(async () => {
  await h.close();
});

const { ada, bob, olly } = people('slack');

/** ada asks for a prod rollback (high risk): it waits for a second sre. */
async function requested(chat: RecordingChat, service = 'maestro-orchestrator'): Promise<{ id: string; refId: string }> {
  const result = (await h.type(chat, ada, `rollback ${service} --env prod --reason "v2.8 errors"`)) as Extract<CommandResult, { kind: 'awaiting_approval' }>;
  expect(result.kind).toBe('awaiting_approval');
  return { id: result.approvalId, refId: result.ref.id };
}

function submittedFor(id: string) {
  return h.jobs.submitted.filter((s) => s.key === id);
}

describe('two-person approval', () => {
  it('shows the plan as waiting for approval with Approve and Reject carrying only the request id', async () => {
    const chat = h.chat('slack');
    const { id, refId } = await requested(chat);
    const card = chat.current(refId)!;
    expect(card.footer).toContain('Waiting for approval by sre');
    expect(card.actions?.map((a) => [a.id, a.value])).toEqual([
      ['approval.approve', id],
      ['approval.reject', id],
    ]);
    expect(id).toMatch(/^a[A-Za-z0-9_-]{12}$/);
    expect(submittedFor(id)).toHaveLength(0);
  });

  it('refuses the requester approving their own request', async () => {
    const chat = h.chat('slack');
    const { id } = await requested(chat);
    const result = await h.press(chat, ada, 'approval.approve', id);
    expect(result).toEqual({ kind: 'failed', error: 'Not approved: you cannot approve your own request; another person must. Nothing was done.' });
    expect(submittedFor(id)).toHaveLength(0);
  });

  it('refuses an approver who holds none of the roles the rule names', async () => {
    const chat = h.chat('slack');
    const { id } = await requested(chat);
    const result = await h.press(chat, olly, 'approval.approve', id);
    expect(result).toMatchObject({ kind: 'failed', error: expect.stringContaining('approving needs the role sre (rule prod-high-risk-approval)') });
    expect(submittedFor(id)).toHaveLength(0);
    expect((await h.trail()).some((e) => e.type === 'approval' && e.decision === 'denied' && e.actor.id === olly.id)).toBe(true);
  });

  it('queues the job on approval with both names in the change cause and the audit record', async () => {
    const chat = h.chat('slack');
    const { id, refId } = await requested(chat);
    const result = await h.press(chat, bob, 'approval.approve', id);
    expect(result.kind).toBe('queued');

    const [job] = submittedFor(id);
    expect(job!.data.actor.name).toBe('ada');
    expect(job!.data.approvedBy?.name).toBe('bob');
    expect(job!.data.reason).toBe('v2.8 errors; approved by bob');
    expect(chat.current(refId)!.footer).toMatch(/^Approved by bob: running as a job\. Requested by ada\. Job \d+\.$/);
    expect(chat.current(refId)!.actions).toBeUndefined();
    const approved = (await h.trail()).find((e) => e.decision === 'approved' && e.detail?.approvalId === id);
    expect(approved).toMatchObject({ actor: { name: 'bob' }, detail: { rule: 'prod-high-risk-approval', requester: 'ada', approver: 'bob' } });
  });

  it('queues one job when the approval is delivered twice', async () => {
    const chat = h.chat('slack');
    const { id } = await requested(chat, 'victor-coordinators');
    const before = await h.jobCount();
    const [first, second] = await Promise.all([h.press(chat, bob, 'approval.approve', id), h.press(chat, bob, 'approval.approve', id)]);
    expect([first.kind, second.kind].sort()).toEqual(['failed', 'queued']);
    expect(submittedFor(id)).toHaveLength(1);
    expect(await h.jobCount()).toBe(before + 1);
  });

  it('marks the card rejected and queues nothing on Reject', async () => {
    const chat = h.chat('slack');
    const { id, refId } = await requested(chat, 'maestro-premium-router');
    expect(await h.press(chat, bob, 'approval.reject', id)).toEqual({ kind: 'answered' });
    expect(chat.current(refId)!.footer).toContain('Rejected by bob: nothing was changed.');
    expect(await h.press(chat, bob, 'approval.approve', id)).toMatchObject({ kind: 'failed', error: expect.stringContaining('already handled (rejected by bob)') });
    expect(submittedFor(id)).toHaveLength(0);
  });

  it('refuses an approval pressed in another conversation than the request', async () => {
    const chat = h.chat('slack');
    const { id } = await requested(chat);
    const result = await h.press(chat, bob, 'approval.approve', id, randomChannel('slack'));
    expect(result).toEqual({ kind: 'failed', error: 'This button belongs to another conversation; nothing was done.' });
    expect(submittedFor(id)).toHaveLength(0);
  });

  it('refuses a forged request id without looking further', async () => {
    const chat = h.chat('slack');
    expect(await h.press(chat, bob, 'approval.approve', '../../etc')).toMatchObject({ kind: 'failed', error: expect.stringContaining('does not exist') });
  });

  it('accepts approve <request> typed as a command, with the same checks', async () => {
    const chat = h.chat('slack');
    const { id } = await requested(chat, 'maestro-premium-router');
    await h.type(chat, ada, `approve ${id}`);
    expect(submittedFor(id)).toHaveLength(0);
    const result = await h.type(chat, bob, `approve ${id}`);
    expect(result.kind).toBe('queued');
    expect(submittedFor(id)).toHaveLength(1);
  });
});

describe('approval expiry', () => {
  it('marks the card expired when the window closes and refuses a later approval', async () => {
    const chat = h.chat('slack');
    const { id, refId } = await requested(chat, 'notification-agent');
    h.clock += 2 * 60_000 + 1;
    try {
      // Earlier tests' requests expire in the same sweep; this one must be among them.
      expect(await h.commands.sweepApprovals(() => chat)).toBeGreaterThanOrEqual(1);
      expect(chat.current(refId)!.footer).toMatch(/^Approval expired at \d\d:\d\d UTC: nothing was changed/);
      expect(chat.current(refId)!.actions).toBeUndefined();
      expect(await h.press(chat, bob, 'approval.approve', id)).toMatchObject({ kind: 'failed', error: expect.stringContaining('This approval request expired at') });
      expect(submittedFor(id)).toHaveLength(0);
      expect((await h.trail()).some((e) => e.decision === 'expired' && e.detail?.approvalId === id)).toBe(true);
    } finally {
      h.clock = Date.now();
    }
  });

  it('refuses an approval pressed after expiry even before any sweep, and says so on the card', async () => {
    const chat = h.chat('slack');
    const { id, refId } = await requested(chat, 'notification-agent');
    h.clock += 2 * 60_000 + 1;
    try {
      const result = await h.press(chat, bob, 'approval.approve', id);
      expect(result).toMatchObject({ kind: 'failed', error: expect.stringMatching(/^This approval request expired at \d\d:\d\d UTC; nothing was done/) });
      expect(chat.current(refId)!.footer).toContain('Approval expired');
      expect(submittedFor(id)).toHaveLength(0);
    } finally {
      h.clock = Date.now();
    }
  });
});
