import { describe, expect, it } from 'vitest';
import { AfterAck, drainWithin } from '../../src/http/after-ack.js';
import { recordingLog } from '../support/recording-log.js';

/** A piece of work that runs until released, recording that it started. */
function gate(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    work: async () => {
      started.push(name);
      await done;
    },
    release: () => release(),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('AfterAck', () => {
  it('runs no more than its concurrency at once, and the rest in arrival order', async () => {
    const started: string[] = [];
    const queue = new AfterAck(2, () => {});
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(started, name));
    for (const g of [a!, b!, c!]) queue.run(g.work);
    await turn();
    expect(started).toEqual(['a', 'b']);
    a!.release();
    await turn();
    await turn();
    expect(started).toEqual(['a', 'b', 'c']);
    b!.release();
    c!.release();
    await queue.idle();
  });

  it('does not start work in the turn that queued it, so the ack is written first', () => {
    const started: string[] = [];
    const queue = new AfterAck(8, () => {});
    queue.run(gate(started, 'a').work);
    expect(started).toEqual([]);
  });

  it('hands a failure to onError and carries on with the next piece of work', async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const queue = new AfterAck(1, (error) => errors.push(error));
    queue.run(async () => {
      throw new Error('boom');
    });
    queue.run(async () => {
      ran.push('next');
    });
    await queue.idle();
    expect((errors[0] as Error).message).toBe('boom');
    expect(ran).toEqual(['next']);
  });

  it('resolves idle() at once when nothing was ever queued', async () => {
    await expect(new AfterAck(1, () => {}).idle()).resolves.toBeUndefined();
  });
});

describe('drainWithin', () => {
  it('gives up on work and edits that never finish after its bound, and logs both', async () => {
    const { log, lines } = recordingLog();
    const queue = new AfterAck(1, () => {});
    queue.run(() => new Promise(() => {}));
    const started = performance.now();
    await drainWithin(queue, () => new Promise(() => {}), 50, log);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(lines().map((l) => l.msg)).toEqual(['stopping with acknowledged requests unfinished', 'stopping with message edits unsent']);
    expect(lines()[0]!.unfinished).toBe(1);
  });

  it('says nothing when the work and the edits finish in time', async () => {
    const { log, lines } = recordingLog();
    const queue = new AfterAck(1, () => {});
    queue.run(async () => {});
    await drainWithin(queue, async () => {}, 1000, log);
    expect(lines()).toEqual([]);
  });
});
