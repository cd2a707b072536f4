import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastEphemeral, PolicyHarness, people } from '../policy/support.js';

/**
 * A follow-up button (command.run, offered after a verification regression)
 * carries a command; pressing it must walk the typed command's path: parse,
 * policy, confirmation and audit, with the presser as the one who asked.
 */
let h: PolicyHarness;
beforeAll(() => {
  h = new PolicyHarness('follow-up');
});
afterAll(async () => {
  await h.close();
});

const { ada, olly } = people('slack');

describe('a command.run button', () => {
  it('is refused and audited like the typed command when the presser may not make the change', async () => {
    const chat = h.chat('slack');
    const result = await h.press(chat, olly, 'command.run', 'rollback maestro-orchestrator --env prod');
    expect(result).toEqual({ kind: 'failed', error: 'denied by rule prod-rollback: only sre may roll back in prod. Nothing was done.' });
    expect(lastEphemeral(chat)).toContain('denied by rule prod-rollback');
    expect(h.jobs.submitted).toHaveLength(0);
    const record = (await h.trail()).find((e) => e.decision === 'denied' && e.actor.id === olly.id);
    expect(record).toMatchObject({ type: 'decision', action: 'rollback', env: 'prod', text: 'rollback maestro-orchestrator --env prod', detail: { rule: 'prod-rollback' } });
  });

  it('is parsed strictly: a value that is no command is answered and audited as a parse error', async () => {
    const chat = h.chat('slack');
    const result = await h.press(chat, ada, 'command.run', 'rollbak maestro-orchestrator');
    expect(result.kind).toBe('failed');
    expect(lastEphemeral(chat)).not.toBe('');
    const record = (await h.trail()).find((e) => e.decision === 'parse_error' && e.actor.id === ada.id);
    expect(record).toMatchObject({ type: 'command', text: 'rollbak maestro-orchestrator' });
  });

  it('plans the change for someone allowed it and asks for confirmation where the environment is protected', async () => {
    const chat = h.chat('slack');
    const result = await h.press(chat, ada, 'command.run', 'scale maestro-orchestrator --env prod');
    expect(result).toMatchObject({ kind: 'needs_confirmation' });
    expect(h.jobs.submitted).toHaveLength(0);
    const record = (await h.trail()).find((e) => e.decision === 'allowed' && e.actor.id === ada.id && e.action === 'scale');
    expect(record).toMatchObject({ type: 'command', service: 'maestro-orchestrator', env: 'prod' });
  });
});
