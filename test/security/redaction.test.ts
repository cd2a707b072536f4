import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COMMAND_LENGTH } from '../../src/core/grammar.js';
import { redactText } from '../../src/core/redact.js';
import { PolicyHarness, lastEphemeral, people } from '../policy/support.js';

let h: PolicyHarness;
beforeAll(() => {
  h = new PolicyHarness('security-redaction');
});
afterAll(async () => {
  await h.close();
});

const { ada } = people('slack');
const secrets = [
  'xoxb-123456789012-abcdefABCDEF',
  'postgres://app:s3cr3tPass@db.internal:5432/app',
  'AKIAABCDEFGHIJKLMNOP',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
];

describe('command echoes and log tails are redacted', () => {
  it.each(secrets)('does not echo %s back in a parse error', async (secret) => {
    const chat = h.chat('slack');
    await h.type(chat, ada, `scale ${secret}`);
    const said = lastEphemeral(chat);
    expect(said).toContain('[redacted]');
    expect(said).not.toContain(secret.slice(-10));
  });

  it('keeps secrets in a command out of the audit trail', async () => {
    await h.type(h.chat('slack'), ada, 'status --reason "token=abcd1234efgh5678"');
    await h.type(h.chat('slack'), ada, 'status postgres://app:s3cr3tPass@db.internal/app');
    const trail = JSON.stringify(await h.trail());
    expect(trail).not.toContain('abcd1234efgh5678');
    expect(trail).not.toContain('s3cr3tPass');
  });

  it('hides tokens, keys, passwords and connection strings in log lines', () => {
    const tail = [
      'level=info msg="connecting" url=redis://:hunter22@redis:6379/0',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      'config api_key=sk-live-abcdefghijklmnop1234',
      `env SLACK_BOT_TOKEN=${secrets[0]}`,
    ].join('\n');
    const shown = redactText(tail);
    for (const leaked of ['hunter22', 'eyJzdWIiOiIxIn0', 'sk-live-abcdefghijklmnop1234', secrets[0]!]) expect(shown).not.toContain(leaked);
  });

  it('refuses a command over the length limit, saying the limit, without holding the loop', async () => {
    h.ports.calls.length = 0;
    const chat = h.chat('slack');
    const text = `status ${'token=abcd1234 '.repeat(3_000)}`;
    const started = performance.now();
    await h.type(chat, ada, text);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(lastEphemeral(chat)).toContain(`that command is ${text.length} characters long; the limit is ${MAX_COMMAND_LENGTH}`);
    expect(h.ports.calls).toEqual([]);
    const trail = await h.trail();
    // Its start, redacted (which lengthens it a little), not all 45 kB of it.
    expect(trail.at(-1)?.text?.length).toBeLessThan(2 * MAX_COMMAND_LENGTH);
  });
});
