import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';

const harness = harnessPerTest();

describe('job progress in chat', () => {
  it('edits the job message at most once per interval, with the latest state only', async () => {
    const h = harness('throttle');
    await h.startWorker({ progressIntervalMs: 150 });
    const data = await h.planned({ steps: 20, stepMs: 20 });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    await h.finished(jobNumber);

    const edits = h.chat.updates(data.messageRef!.id);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThan(10);
    for (let i = 1; i < edits.length; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(140);
    const done = edits.flatMap((e) => (e.message.progress ? [e.message.progress.done] : []));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.length).toBeLessThan(20);
  });

  it('leaves the job message showing the final result', async () => {
    const h = harness('final');
    await h.startWorker({ progressIntervalMs: 150 });
    const data = await h.planned({ steps: 10, stepMs: 10 });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    await h.finished(jobNumber);

    const final = h.chat.current(data.messageRef!.id)!;
    expect(final.severity).toBe('success');
    expect(final.fields).toContainEqual({ label: 'Status', value: 'done' });
    expect(final.text).toBe('svc is now 1');
  });

  it('replies with the result in the job message thread', async () => {
    const h = harness('reply');
    await h.startWorker();
    const data = await h.planned();
    const { jobNumber } = await h.queue.submit(data, 'k1');
    await h.finished(jobNumber);

    const replies = h.chat.replies(data.messageRef!.id);
    expect(replies.map((r) => r.message.title)).toEqual(['svc is now 1']);
    expect(replies[0]!.ref.threadId).toBe(data.messageRef!.id);
  });

  it('records progress on the job for `jobs` to show', async () => {
    const h = harness('recorded');
    await h.startWorker();
    const { jobNumber } = await h.queue.submit(await h.planned({ steps: 4 }), 'k1');
    const summary = await h.finished(jobNumber);
    expect(summary.progress).toEqual({ done: 4, total: 4, label: 'step 4' });
  });

  it('posts a job message when the job came without one, and edits that', async () => {
    const h = harness('post');
    await h.startWorker();
    const { messageRef: _, ...data } = await h.planned();
    const { jobNumber } = await h.queue.submit(data, 'k1');
    await h.finished(jobNumber);

    const posted = h.chat.posts().at(-1)!;
    expect(posted.message.title).toBe(data.plan.summary);
    expect(h.chat.current(posted.ref.id)!.severity).toBe('success');
    expect(h.chat.replies(posted.ref.id).map((r) => r.message.title)).toEqual(['svc is now 1']);
  });
});
