import { afterEach, describe, expect, it } from 'vitest';
import { bob, VerifyHarness, waitFor } from './harness.js';

let h: VerifyHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('verification after a mitigation', () => {
  it('passes after a rollback off the faulty release, resolving PagerDuty and recording the evidence', async () => {
    h = await new VerifyHarness('pass').start('1s');
    await h.run('rollback', { service: 'maestro-orchestrator' }, { reason: 'v2.8.0 error spike' });
    await h.verification.settled();
    const reply = h.chat.calls.find((c) => c.kind === 'reply' && c.message.title.startsWith('Verification passed'));
    expect(reply?.message.title).toBe('Verification passed: maestro-orchestrator in prod held for 1s after the rollback');
    expect(reply?.message.fields).toContainEqual({ label: 'Health endpoint', value: 'HTTP 200' });
    expect(reply?.message.fields?.find((f) => f.label === 'error_rate')?.value).toMatch(/healthy$/);
    expect(reply?.message.code).toContain('revision: 7 → 8 (the template of revision 6)');
    expect(reply?.message.code).toContain('verification: pass (held for 1s)');
    expect(h.resolver.resolved).toEqual([
      { service: 'maestro-orchestrator', env: 'prod', note: 'maestro-bot: rollback of maestro-orchestrator verified, healthy for 1s' },
    ]);
    expect(h.resolver.repaged).toEqual([]);
  });

  it('records the rollback evidence in Redis and as evidence audit records', async () => {
    h = await new VerifyHarness('evidence').start('1s');
    await h.run('rollback', { service: 'maestro-orchestrator' }, { reason: 'v2.8.0 error spike' });
    await h.verification.settled();
    const [record] = await h.verification.evidence.list('maestro-orchestrator');
    expect(record).toMatchObject({
      service: 'maestro-orchestrator',
      env: 'prod',
      via: 'kubernetes',
      actor: 'ada',
      reason: 'v2.8.0 error spike',
      revision: { from: '7', restored: '6', resulting: '8' },
      image: { from: 'ghcr.io/intelgraph/maestro-orchestrator:v2.8.0', to: 'ghcr.io/intelgraph/maestro-orchestrator:v2.7.3' },
      verdict: 'pass',
    });
    const evidence = h.audit.entries.filter((e) => e.type === 'evidence');
    expect(evidence.map((e) => e.result)).toEqual(['pending', 'pass']);
  });

  it('reports a regression with the values, re-pages and offers the next rollback', async () => {
    h = await new VerifyHarness('regression').start('1s');
    // A restart keeps the faulty v2.8.0 running: the mitigation does not hold.
    await h.run('restart', { service: 'maestro-orchestrator' });
    await h.verification.settled();
    const reply = h.chat.calls.find((c) => c.kind === 'reply' && c.message.title.startsWith('Regression'));
    expect(reply?.message.title).toMatch(/^Regression: maestro-orchestrator in prod is not healthy \d+s after the restart$/);
    expect(reply?.message.text).toContain('health endpoint HTTP 503');
    expect(reply?.message.text).toMatch(/error_rate \d+(\.\d)?% critical/);
    // Not `rollback maestro-orchestrator`: that is revision 7, the same v2.8.0 the restart left running.
    const next = 'rollback maestro-orchestrator --to-revision 6';
    expect(reply?.message.actions).toEqual([{ id: 'command.run', label: next, style: 'danger', value: next }]);
    expect(reply?.message.text).toContain(`Next: ${next}`);
    expect(h.resolver.repaged).toHaveLength(1);
    expect(h.resolver.repaged[0]!.summary).toMatch(/^maestro-orchestrator in prod regressed after restart \(job \d+\): health endpoint HTTP 503/);
    expect(h.resolver.resolved).toEqual([]);
  });

  it('ends a job cancelled while it follows the rollout as cancelled, never done, and does not verify it', async () => {
    h = await new VerifyHarness('cancel-follow').start('1s', { tickMs: 300 });
    const jobNumber = await h.submit('restart', { service: 'maestro-orchestrator' });
    const card = h.chat.posts()[0]!.ref;
    // Cancel once the worker reports the rollout under way: the restart is applied, the follow is running.
    await waitFor(() => h!.chat.updates(card.id).some((u) => u.message.progress !== undefined), 10_000);
    await h.queue.cancel(jobNumber, bob);
    await waitFor(async () => (await h!.queue.get(jobNumber))?.state === 'cancelled', 10_000);
    await h.verification.settled();

    const status = h.chat.updates(card.id).at(-1)!.message.fields?.find((f) => f.label === 'Status')?.value;
    expect(status).toBe('cancelled by bob');
    const [reply] = h.chat.replies(card.id).map((r) => r.message);
    expect(reply).toMatchObject({ title: `Job ${jobNumber} cancelled by bob` });
    expect(reply!.text).toContain('The change was applied; the rollout continues without the bot watching it.');
    expect(h.replyTitles().filter((t) => t.startsWith('Verif'))).toEqual([]);
    const ends = h.audit.entries.filter((e) => e.type === 'job.finished' || e.type === 'job.failed');
    expect(ends.map((e) => [e.type, e.decision])).toEqual([['job.finished', 'cancelled']]);
  }, 20_000);

  it('replies under the job message, in its thread', async () => {
    h = await new VerifyHarness('thread').start('1s');
    await h.run('scale', { service: 'notification-agent', replicas: 4 });
    await h.verification.settled();
    const plan = h.chat.posts()[0]!;
    const titles = h.chat.replies(plan.ref.id).map((r) => r.message.title);
    expect(titles.some((t) => t.startsWith('Verification passed: notification-agent in prod'))).toBe(true);
  });
});
