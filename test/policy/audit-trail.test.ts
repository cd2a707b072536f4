import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyHarness, people } from './support.js';

let h: PolicyHarness;
beforeAll(async () => {
  h = new PolicyHarness('audit-trail');
  const chat = h.chat('slack');
  const { ada, olly } = people('slack');
  await h.type(chat, olly, 'rollback maestro-orchestrator --env prod');
  await h.type(chat, ada, 'scale notification-agent --env dev --reason "password=hunter2 in the ticket"');
  await h.type(chat, ada, 'status');
});
afterAll(async () => {
  await h.close();
});

const { ada, olly, eve } = people('slack');

describe('the audit verb', () => {
  it('lists records newest first, filtered by service', async () => {
    const chat = h.chat('slack');
    await h.type(chat, ada, 'audit --service maestro-orchestrator');
    const answer = chat.posts().at(-1)!.message;
    expect(answer.title).toMatch(/^Audit trail: 1 records \(maestro-orchestrator, last 24h\)$/);
    const [row] = answer.table!.rows;
    expect(row![2]).toContain('decision denied');
    expect(row![5]).toContain('rule prod-rollback');
  });

  it('filters by actor and limits the count', async () => {
    const chat = h.chat('slack');
    await h.type(chat, ada, 'audit --actor olly --limit 5');
    const actors = chat.posts().at(-1)!.message.table!.rows.map((row) => row[1]);
    expect(actors).not.toContain('ada (slack)');
    expect(actors).toContain('olly (slack)');
  });

  it('exports JSON lines with --json', async () => {
    const chat = h.chat('slack');
    await h.type(chat, ada, 'audit --since 1h --json');
    const lines = chat.posts().at(-1)!.message.code!.split('\n');
    const records = lines.map((l) => JSON.parse(l) as { type: string; id: string });
    expect(records.length).toBeGreaterThanOrEqual(3);
    expect(records[0]!.id > records.at(-1)!.id).toBe(true);
  });

  it('is refused to users outside the role the audit-trail rule names', async () => {
    const chat = h.chat('slack');
    const result = await h.type(chat, olly, 'audit');
    expect(result).toMatchObject({ kind: 'failed', error: expect.stringContaining('denied by rule audit-trail') });
    expect((await h.type(chat, eve, 'audit')).kind).toBe('failed');
  });
});

describe('audit records', () => {
  it('carry no secrets from the command text', async () => {
    const all = JSON.stringify(await h.trail());
    expect(all).not.toContain('hunter2');
    expect(all).toContain('password=[redacted]');
  });

  it('are only ever appended to the stream', async () => {
    const before = await h.redis.xlen(`${h.prefix}:audit`);
    const first = (await h.trail())[0]!;
    await h.type(h.chat('slack'), ada, 'status');
    expect(await h.redis.xlen(`${h.prefix}:audit`)).toBeGreaterThan(before);
    expect((await h.trail())[0]).toEqual(first);
  });
});
