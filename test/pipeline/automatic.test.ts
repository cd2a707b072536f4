import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../src/core/request.js';
import { AutomaticChanges, MAESTRO_BOT } from '../../src/pipeline/automatic.js';
import type { CommandResult } from '../../src/pipeline/command-result.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefix = testPrefix('automatic');
const log = pino({ level: 'silent' });
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

/** A command handler that only counts what reaches it. */
function counting(result: CommandResult = { kind: 'queued', jobNumber: 1, jobId: '1', created: true } as CommandResult) {
  const requests: CommandRequest[] = [];
  const handle = async (request: CommandRequest): Promise<CommandResult> => {
    requests.push(request);
    return result;
  };
  return { requests, handle };
}

const change = (key: string) => ({ key, text: 'page maestro-orchestrator "x is down" --incident 7 --env prod', conversation: { platform: 'slack' as const, id: 'C1' }, threadId: '1.2' });

describe('AutomaticChanges', () => {
  it('runs a change once per key: a repeated notification does nothing', async () => {
    const commands = counting();
    const automatic = new AutomaticChanges({ commands, redis, prefix, log });
    const chat = new RecordingChat('slack');
    expect((await automatic.run(change('page:inc-1:0'), chat)).kind).toBe('queued');
    expect(await automatic.run(change('page:inc-1:0'), chat)).toEqual({ kind: 'duplicate' });
    expect(commands.requests).toHaveLength(1);
    expect(commands.requests[0]!.actor).toEqual(MAESTRO_BOT);
  });

  it('runs it once across two replicas asking at the same time', async () => {
    const a = counting();
    const b = counting();
    const chat = new RecordingChat('slack');
    const outcomes = await Promise.all([
      new AutomaticChanges({ commands: a, redis, prefix, log }).run(change('page:inc-2:0'), chat),
      new AutomaticChanges({ commands: b, redis, prefix, log }).run(change('page:inc-2:0'), chat),
    ]);
    expect(a.requests.length + b.requests.length).toBe(1);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['duplicate', 'queued']);
  });

  it('holds a claim only briefly until the change is in the pipeline, then remembers it for long', async () => {
    const key = `${prefix}:automatic:page:inc-9:0`;
    let ttlWhileRunning = -1;
    const commands = {
      handle: async (): Promise<CommandResult> => {
        // A process that died here would leave this claim: it must lapse, not block the page for a month.
        ttlWhileRunning = await redis.ttl(key);
        return { kind: 'answered' };
      },
    };
    await new AutomaticChanges({ commands, redis, prefix, log }).run(change('page:inc-9:0'), new RecordingChat('slack'));
    expect(ttlWhileRunning).toBeGreaterThan(0);
    expect(ttlWhileRunning).toBeLessThanOrEqual(300);
    expect(await redis.ttl(key)).toBeGreaterThan(24 * 3600);
  });

  it('forgets the key when the change threw, so a retry may ask again', async () => {
    let calls = 0;
    const commands = {
      handle: async (): Promise<CommandResult> => {
        calls += 1;
        if (calls === 1) throw new Error('redis blip');
        return { kind: 'answered' };
      },
    };
    const automatic = new AutomaticChanges({ commands, redis, prefix, log });
    const chat = new RecordingChat('slack');
    await expect(automatic.run(change('page:inc-3:0'), chat)).rejects.toThrow('redis blip');
    expect((await automatic.run(change('page:inc-3:0'), chat)).kind).toBe('answered');
  });
});
