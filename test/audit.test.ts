import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisAuditSink } from '../src/core/audit.js';
import { cleanPrefix, testPrefix, testRedis } from './support/redis.js';

const redis = testRedis();
const prefix = testPrefix('audit');

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('the audit trail', () => {
  it('appends one record per entry to the Redis stream, oldest first', async () => {
    const sink = new RedisAuditSink(redis, `${prefix}:audit`, pino({ level: 'silent' }));
    const actor = { id: 'U1', name: 'ada', platform: 'slack' as const };
    await sink.record({ type: 'command', requestId: 'r1', actor, text: 'status', decision: 'allowed', action: 'status' });
    await sink.record({ type: 'command', requestId: 'r2', actor, text: 'rolback', decision: 'parse_error' });
    const records = await sink.read();
    expect(records.map((r) => [r.requestId, r.decision])).toEqual([
      ['r1', 'allowed'],
      ['r2', 'parse_error'],
    ]);
    expect(records[0]!.actor).toEqual(actor);
    expect(Date.parse(records[0]!.at)).not.toBeNaN();
    expect(await redis.xlen(`${prefix}:audit`)).toBe(2);
  });

  it('logs the same record', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const sink = new RedisAuditSink(redis, `${prefix}:audit2`, log);
    await sink.record({ type: 'command', requestId: 'r3', actor: { id: 'u', name: 'u', platform: 'console' } });
    expect(JSON.parse(lines[0]!).audit.requestId).toBe('r3');
  });
});
