import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../src/platforms/console/console-chat.js';

describe('console long output', () => {
  it('prints every line of a long output, without the note that lines were cut', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    const lines = Array.from({ length: 400 }, (_, i) => `pod-a: line ${i}`);
    await new ConsoleChat(out).postLong(
      'console',
      { title: 'Logs of maestro-orchestrator in dev', code: lines.slice(-10).join('\n'), footer: '390 earlier lines cut to fit the message' },
      { filename: 'maestro-orchestrator-dev.log', lines, footer: 'All 400 lines are in maestro-orchestrator-dev.log.' },
    );
    for (const line of lines) expect(printed).toContain(`    ${line}\n`);
    expect(printed).not.toContain('cut to fit');
    expect(printed).not.toContain('maestro-orchestrator-dev.log');
  });
});
