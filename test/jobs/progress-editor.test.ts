import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/message.js';
import { ProgressEditor } from '../../src/jobs/progress-editor.js';
import { silent, waitFor } from './harness.js';

function recorder() {
  const sent: { title: string; at: number }[] = [];
  const send = async (message: Message) => {
    sent.push({ title: message.title, at: Date.now() });
  };
  return { sent, send };
}

describe('the progress editor', () => {
  it('sends only the latest state of a burst', async () => {
    const { sent, send } = recorder();
    const editor = new ProgressEditor(send, 100, silent);
    for (let i = 1; i <= 10; i++) editor.push({ title: `step ${i}` });
    await waitFor(() => sent.length === 1);
    await tick(150);
    expect(sent.map((s) => s.title)).toEqual(['step 10']);
  });

  it('sends a first state at once and later ones no sooner than the interval', async () => {
    const { sent, send } = recorder();
    const editor = new ProgressEditor(send, 100, silent);
    editor.push({ title: 'step 1' });
    await tick(5);
    for (let i = 2; i <= 10; i++) editor.push({ title: `step ${i}` });
    await waitFor(() => sent.length === 2);
    expect(sent.map((s) => s.title)).toEqual(['step 1', 'step 10']);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(95);
  });

  it('always delivers the final state, after the interval, dropping states still pending', async () => {
    const { sent, send } = recorder();
    const editor = new ProgressEditor(send, 100, silent);
    editor.push({ title: 'step 1' });
    await tick(5);
    editor.push({ title: 'step 2' });
    await editor.finish({ title: 'done' });
    expect(sent.map((s) => s.title)).toEqual(['step 1', 'done']);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(95);
  });

  it('ignores states pushed after the final one', async () => {
    const { sent, send } = recorder();
    const editor = new ProgressEditor(send, 10, silent);
    await editor.finish({ title: 'done' });
    editor.push({ title: 'late' });
    await tick(50);
    expect(sent.map((s) => s.title)).toEqual(['done']);
  });

  it('keeps going after an edit fails', async () => {
    const sent: string[] = [];
    let fail = true;
    const editor = new ProgressEditor(
      async (message) => {
        if (fail) {
          fail = false;
          throw new Error('rate limited');
        }
        sent.push(message.title);
      },
      20,
      silent,
    );
    editor.push({ title: 'step 1' });
    await tick(5);
    editor.push({ title: 'step 2' });
    await waitFor(() => sent.length === 1);
    await editor.finish({ title: 'done' });
    expect(sent).toEqual(['step 2', 'done']);
  });
});

function tick(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
