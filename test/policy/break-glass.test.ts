import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyHarness, lastEphemeral, pagerChannel, people } from './support.js';

let h: PolicyHarness;
beforeAll(() => {
  h = new PolicyHarness('break-glass');
});
afterAll(async () => {
  await h.close();
});

const { ada, olly } = people('slack');

describe('break-glass', () => {
  it('skips approval for sre, pages, posts a loud notice in the incident channel and flags the audit record', async () => {
    const chat = h.chat('slack');
    const result = await h.type(chat, ada, 'rollback maestro-orchestrator --env prod --break-glass --reason "checkout down, no second sre awake"');

    expect(result.kind).toBe('needs_confirmation');
    expect(h.pager.pages).toEqual([
      {
        summary: 'BREAK-GLASS: ada skipped approval to rollback maestro-orchestrator in prod',
        details: expect.objectContaining({ requester: 'ada', service: 'maestro-orchestrator', env: 'prod', reason: 'checkout down, no second sre awake' }),
      },
    ]);
    const notice = chat.posts().find((p) => p.ref.conversation === '#maestro-pager')!;
    expect(notice.message).toMatchObject({ severity: 'critical', title: expect.stringContaining('BREAK-GLASS') });
    expect(notice.message.footer).toBe('On-call has been paged. This is flagged in the audit trail.');
    const record = (await h.trail()).find((e) => e.detail?.breakGlass === true && e.decision === 'allowed');
    expect(record).toMatchObject({ actor: { name: 'ada' }, detail: { rule: 'break-glass', reason: 'checkout down, no second sre awake', paged: true } });
  });

  it('puts break-glass and the reason in the change cause of the job', async () => {
    const chat = h.chat('slack');
    const result = await h.type(chat, ada, 'rollback victor-coordinators --env prod --break-glass --reason "outage"');
    const confirmed = await h.press(chat, ada, 'plan.confirm', (result as { confirmId: string }).confirmId);
    expect(confirmed.kind).toBe('queued');
    expect(h.jobs.submitted.at(-1)!.data.reason).toBe('break-glass: outage');
  });

  it('is refused to a role not allowed to use it, with the rule, and pages nobody', async () => {
    const chat = h.chat('slack');
    const pages = h.pager.pages.length;
    await h.type(chat, olly, 'scale maestro-orchestrator --env prod --break-glass --reason "hurry"');
    expect(lastEphemeral(chat)).toBe('denied by rule break-glass: only sre may use --break-glass. Nothing was done.');
    expect(h.pager.pages).toHaveLength(pages);
    expect(chat.posts()).toHaveLength(0);
  });

  it('needs a reason', async () => {
    const chat = h.chat('slack');
    const result = await h.type(chat, ada, 'rollback maestro-orchestrator --env prod --break-glass', pagerChannel('slack'));
    expect(result).toMatchObject({ kind: 'failed', error: expect.stringContaining('--break-glass needs --reason "why"') });
    expect(chat.posts()).toHaveLength(0);
  });
});
