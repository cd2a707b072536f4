import { fileURLToPath } from 'node:url';
import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { renderBlocks } from '../../src/platforms/slack/block-kit.js';
import type { Message } from '../../src/core/message.js';
import { userErrorMessage } from '../../src/core/error-replies.js';
import { planMessage } from '../../src/pipeline/replies.js';
import { logs } from '../../src/verbs/logs/logs.js';
import { actionContext } from '../actions/context.js';
import { seededCluster } from '../actions/seed.js';
import { historyCard } from '../fixtures/teams/messages.js';
import { expectGolden } from '../support/golden.js';
import { blockKitViolations, cellText } from './support/block-kit-limits.js';

const goldenDir = fileURLToPath(new URL('../fixtures/slack/', import.meta.url));

/** Compares with test/fixtures/slack/<name>.golden.json (see test/support/golden.ts). */
function expectSlackGolden(name: string, message: Message): void {
  const rendered = renderBlocks(message);
  expectGolden(`${goldenDir}${name}.golden.json`, rendered);
  expect(blockKitViolations(rendered)).toEqual([]);
}

const plan = {
  summary: 'roll back maestro-orchestrator in prod from revision 7 to 6',
  target: { service: 'maestro-orchestrator', env: 'prod' },
  changes: [{ what: 'image', from: 'orchestrator:1.8.0', to: 'orchestrator:1.7.3' }],
  data: {},
};

const wideStatus: Message = {
  title: 'Status of maestro-orchestrator in prod',
  severity: 'warning',
  fields: Array.from({ length: 60 }, (_, i) => ({ label: `pod-${i + 1}`, value: 'Running, ready 1/1' })),
};

describe('Block Kit renderer', () => {
  it('renders a plan awaiting confirmation with a danger Confirm that asks first, and a Cancel', () => {
    expectSlackGolden('plan-needs-confirmation', planMessage(plan, 'needs-confirmation', { confirmId: 'cAAAAAAAAAAAA', actorName: 'alice' }));
  });

  it('renders a running job with its progress bar as text', () => {
    expectSlackGolden('job-progress', { ...planMessage(plan, 'queued', { actorName: 'alice', jobNumber: 12, confirmedBy: 'bob' }), progress: { done: 3, total: 8, label: 'pods updated' } });
  });

  it('renders a result with text, code and a footer', () => {
    expectSlackGolden('result-with-code', {
      title: 'Rolled back maestro-orchestrator in prod',
      severity: 'success',
      text: 'Revision 6 is live: 4/4 pods ready.',
      code: 'REVISION  IMAGE\n6         orchestrator:1.7.3',
      footer: 'Job 12 · took 42 s',
    });
  });

  it('renders a history table as one table block: the header row first, cells as written, empty ones a space', () => {
    // Cells as rich_text text elements: shown as written, so a change cause's < & > are not escaped.
    expectSlackGolden('history', historyCard);
    const table = renderBlocks(historyCard).blocks.find((b): b is types.TableBlock => b.type === 'table')!;
    expect(table.rows[0]!.map(cellText)).toEqual([' ', 'REVISION', 'IMAGE', 'AGE', 'CHANGE-CAUSE']);
    expect(table.rows[3]!.map(cellText)).toEqual(['*', '7', 'ghcr.io/intelgraph/maestro-orchestrator:v2.8.0', '2h', 'deploy v2.8.0 *canary* skipped']);
    expect(table.column_settings?.slice(0, 3)).toEqual([
      { is_wrapped: true, align: 'left' },
      { is_wrapped: true, align: 'right' },
      { is_wrapped: true, align: 'left' },
    ]);
  });

  it('cuts a table to the 100 rows a table block holds, keeping the rows that matter, and says so', () => {
    const rows = Array.from({ length: 150 }, (_, i) => [String(i + 1), 'Running']);
    const oldestFirst = renderBlocks({ title: 't', table: { columns: [{ header: 'N' }, { header: 'STATE' }], rows, keep: 'last' } });
    expect(blockKitViolations(oldestFirst)).toEqual([]);
    const table = oldestFirst.blocks.find((b): b is types.TableBlock => b.type === 'table')!;
    expect(table.rows).toHaveLength(100);
    expect(cellText(table.rows.at(-1)![0]!)).toBe('150');
    expect(JSON.stringify(oldestFirst.blocks.at(-1))).toContain('51 earlier rows of the table not shown');
  });

  it('falls back to aligned columns in a code block for a table wider than a table block allows', () => {
    const columns = Array.from({ length: 21 }, (_, i) => ({ header: `C${i}` }));
    const rendered = renderBlocks({ title: 't', table: { columns, rows: [columns.map((_, i) => `v${i}`)] } });
    expect(rendered.blocks.some((b) => b.type === 'table')).toBe(false);
    expect(JSON.stringify(rendered.blocks)).toContain('```\\nC0  C1');
    expect(blockKitViolations(rendered)).toEqual([]);
  });

  it('renders an error for one person', () => {
    expectSlackGolden('user-error', userErrorMessage("unknown service 'orchestrator' — did you mean 'maestro-orchestrator'?"));
  });

  it('shortens a 60-field status to fit and says how many fields it left out', () => {
    expectSlackGolden('status-60-fields', wideStatus);
    const last = renderBlocks(wideStatus).blocks.at(-1);
    expect(JSON.stringify(last)).toContain('20 more fields not shown');
  });

  it('always gives a plain text fallback naming the title', () => {
    expect(renderBlocks({ title: 'Scaled notification-agent', severity: 'success' }).text).toBe(':white_check_mark: Scaled notification-agent');
  });

  it('escapes &, < and > so text from the cluster cannot mention @channel or forge links', () => {
    const { blocks } = renderBlocks({ title: 't', text: '<!channel> a&b <http://evil|click>' });
    expect(JSON.stringify(blocks)).toContain('&lt;!channel&gt; a&amp;b &lt;http://evil|click&gt;');
  });

  it('escapes a mention, a link and an ampersand in the plain text fallback as in the blocks', () => {
    const { text } = renderBlocks({ title: 'R&D <!here>', text: '<!channel> a&b <http://evil|click>', footer: '<@U123>' });
    expect(text).toBe('R&amp;D &lt;!here&gt;\n&lt;!channel&gt; a&amp;b &lt;http://evil|click&gt;\n&lt;@U123&gt;');
  });

  it('escapes a --grep pattern that holds a mention in the fallback of the logs answer', async () => {
    const answer = (await logs.execute(actionContext(seededCluster()), { service: 'maestro-orchestrator', since: '10m', grep: '<!channel>|ERROR' }, async () => {})).message;
    const { text } = renderBlocks(answer);
    expect(text).toContain('matching /&lt;!channel&gt;|ERROR/');
    expect(text).not.toContain('<!channel>');
  });

  it('never cuts an escaped character in half when the fallback is shortened', () => {
    const { text } = renderBlocks({ title: 't', text: '&'.repeat(4000) });
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/(&amp;)+…$/);
  });

  it('keeps every limit when every part of a message is oversized', () => {
    const huge: Message = {
      title: 'T'.repeat(400),
      severity: 'critical',
      text: 'word '.repeat(5000),
      fields: Array.from({ length: 120 }, (_, i) => ({ label: `L${i}`.repeat(50), value: '<&>'.repeat(1000) })),
      code: 'log line\n'.repeat(3000),
      progress: { done: 5, total: 3 },
      actions: Array.from({ length: 40 }, (_, i) => ({ id: `a${i}`, label: 'B'.repeat(100), style: 'danger' as const, value: `v${i}` })),
      footer: 'F'.repeat(5000),
    };
    const rendered = renderBlocks(huge);
    expect(blockKitViolations(rendered)).toEqual([]);
    const note = JSON.stringify(rendered.blocks.at(-1));
    expect(note).toContain('Shortened to fit');
    expect(note).toContain('15 buttons left out');
  });

  it('leaves out a button whose value is too long instead of cutting the id it carries', () => {
    const { blocks } = renderBlocks({ title: 't', actions: [{ id: 'x', label: 'X', style: 'default', value: 'v'.repeat(2001) }] });
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(blocks.at(-1))).toContain('X: value too long');
  });

  it('keeps action ids unique within the actions block', () => {
    const { blocks } = renderBlocks({
      title: 't',
      actions: [
        { id: 'plan.confirm', label: 'Confirm', style: 'primary', value: 'c1' },
        { id: 'plan.confirm', label: 'Confirm again', style: 'primary', value: 'c1' },
      ],
    });
    expect(blockKitViolations({ text: 't', blocks })).toEqual([]);
  });

  it('does not split a surrogate pair when shortening', () => {
    const { blocks } = renderBlocks({ title: 't', text: '😀'.repeat(8000) });
    for (const block of blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });
});
