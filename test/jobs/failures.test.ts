import { afterEach, describe, expect, it } from 'vitest';
import { JobsHarness } from './harness.js';

let h: JobsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function harness(name: string, options: { attempts?: number } = {}): JobsHarness {
  h = new JobsHarness(name, options);
  return h;
}

describe('a failing job', () => {
  it('fails with the UserError message in its thread, without a retry', async () => {
    const h = harness('user', { attempts: 3 });
    await h.startWorker();
    const data = await h.planned({ failWith: 'user' });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    const summary = await h.finished(jobNumber);

    expect(summary.state).toBe('failed');
    expect(await h.counter('executions')).toBe(1);
    const replies = h.chat.replies(data.messageRef!.id).map((r) => r.message);
    expect(replies).toEqual([expect.objectContaining({ title: `Job ${jobNumber} failed`, text: 'svc is frozen: unfreeze it first' })]);
    expect(h.chat.current(data.messageRef!.id)!.severity).toBe('critical');
  });

  it('retries a transient error and then succeeds', async () => {
    const h = harness('transient', { attempts: 3 });
    await h.startWorker();
    const data = await h.planned({ failWith: 'transient', failTimes: 2 });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    const summary = await h.finished(jobNumber);

    expect(summary.state).toBe('succeeded');
    expect(await h.counter('executions')).toBe(3);
    expect(await h.counter('value')).toBe(1);
    expect(h.chat.replies(data.messageRef!.id).map((r) => r.message.title)).toEqual(['svc is now 1']);
  });

  it('fails with an error ref once retries are exhausted, and logs the details under it', async () => {
    const h = harness('exhausted', { attempts: 2 });
    const lines: string[] = [];
    const pino = (await import('pino')).default;
    await h.startWorker({ log: pino({ level: 'error' }, { write: (line: string) => lines.push(line) }) });
    const data = await h.planned({ failWith: 'transient' });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    expect((await h.finished(jobNumber)).state).toBe('failed');

    expect(await h.counter('executions')).toBe(2);
    const reply = h.chat.replies(data.messageRef!.id).at(-1)!.message;
    const ref = /^something went wrong \(ref ([0-9a-f]{8})\)$/.exec(reply.text ?? '')?.[1];
    expect(ref).toBeDefined();
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.ref === ref);
    expect(logged.err.message).toBe('transient glitch #2');
  });

  it('does not retry an UnrecoverableError', async () => {
    const h = harness('fatal', { attempts: 3 });
    await h.startWorker();
    const data = await h.planned({ failWith: 'fatal' });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    expect((await h.finished(jobNumber)).state).toBe('failed');
    expect(await h.counter('executions')).toBe(1);
    expect(h.chat.replies(data.messageRef!.id).at(-1)!.message.text).toMatch(/^something went wrong \(ref [0-9a-f]{8}\)$/);
  });

  it('frees the deployment after a failure', async () => {
    const h = harness('free-after-failure', { attempts: 1 });
    await h.startWorker();
    const { jobNumber } = await h.queue.submit(await h.planned({ failWith: 'user' }), 'k1');
    await h.finished(jobNumber);
    await expect(h.queue.submit(await h.planned(), 'k2')).resolves.toMatchObject({ created: true });
  });
});

describe('the audit trail of a job', () => {
  it('records start and finish with the actor, target, job id, duration and plan changes', async () => {
    const h = harness('audit');
    await h.startWorker();
    const data = await h.planned();
    const { jobNumber, jobId } = await h.queue.submit(data, 'k1');
    await h.finished(jobNumber);

    expect(h.audit.entries.map((e) => e.type)).toEqual(['job.started', 'job.finished']);
    const finished = h.audit.entries[1]!;
    expect(finished).toMatchObject({ actor: data.actor, action: 'bump', service: 'svc', env: 'staging', jobId, requestId: data.requestId });
    expect(finished.durationMs).toBeGreaterThanOrEqual(0);
    expect(finished.detail).toMatchObject({ jobNumber, changes: [{ what: 'counter', from: '0', to: '1' }] });
  });

  it('records a failure with its result', async () => {
    const h = harness('audit-failed', { attempts: 1 });
    await h.startWorker();
    const { jobNumber } = await h.queue.submit(await h.planned({ failWith: 'user' }), 'k1');
    await h.finished(jobNumber);
    expect(h.audit.entries.map((e) => [e.type, e.result])).toEqual([
      ['job.started', undefined],
      ['job.failed', 'svc is frozen: unfreeze it first'],
    ]);
  });
});
