import { describe, expect, it } from 'vitest';
import { progressBar, renderText } from '../../src/platforms/console/render.js';

describe('the console renderer', () => {
  it('renders title, text, aligned fields, code, progress, buttons and footer in that order', () => {
    const text = renderText({
      title: 'Roll back maestro-orchestrator',
      severity: 'warning',
      text: 'From revision 7 to 6.',
      fields: [
        { label: 'Service', value: 'maestro-orchestrator' },
        { label: 'Env', value: 'prod' },
      ],
      code: 'line 1\nline 2',
      progress: { done: 1, total: 2, label: 'updating' },
      actions: [
        { id: 'plan.confirm', label: 'Confirm', style: 'danger' },
        { id: 'plan.cancel', label: 'Cancel', style: 'default' },
      ],
      footer: 'Waiting for confirmation.',
    });
    expect(text).toBe(
      [
        '⚠ Roll back maestro-orchestrator',
        '  From revision 7 to 6.',
        '  Service: maestro-orchestrator',
        '  Env:     prod',
        '    line 1',
        '    line 2',
        '  [##########..........] 1/2 updating',
        '  Actions (buttons in chat): Confirm · Cancel',
        '  Waiting for confirmation.',
      ].join('\n'),
    );
  });

  it('indents the continuation lines of a multi-line field under its value', () => {
    expect(renderText({ title: 't', fields: [{ label: 'Examples', value: 'a\nb' }] })).toBe('t\n  Examples: a\n            b');
  });

  it('renders a table as aligned columns under its header, numbers right-aligned, every row', () => {
    const text = renderText({
      title: 'Jobs',
      table: {
        columns: [{ header: 'JOB', align: 'right' }, { header: 'STATE' }, { header: 'BY' }],
        rows: [
          ['9', 'running 2/4', 'ada'],
          ['10', 'done', 'olly'],
        ],
      },
    });
    expect(text).toBe(['Jobs', '    JOB  STATE        BY', '      9  running 2/4  ada', '     10  done         olly'].join('\n'));
  });

  it('clamps the progress bar to its ends', () => {
    expect(progressBar({ done: 5, total: 2 })).toBe('[####################] 5/2');
    expect(progressBar({ done: 0, total: 0 })).toBe('[....................] 0/0');
  });
});
