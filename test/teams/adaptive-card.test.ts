import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardElement, type ExecuteAction, renderAdaptiveCard, type ShowCardAction, type TableElement } from '../../src/platforms/teams/adaptive-card.js';
import type { Container, RichTextBlock, TableCell } from '../../src/platforms/teams/adaptive-card-elements.js';
import type { Message } from '../../src/core/message.js';
import { everyCard, historyCard, logTailCard, logTailLines } from '../fixtures/teams/messages.js';
import { expectGolden } from '../support/golden.js';
import { adaptiveCardProblems } from './support/adaptive-cards.js';

const goldenDir = fileURLToPath(new URL('../fixtures/teams/', import.meta.url));
let cards: Record<string, Message>;
beforeAll(async () => {
  cards = await everyCard();
});

describe('Adaptive Card renderer', () => {
  it('renders every kind of card as its golden file', () => {
    for (const [name, message] of Object.entries(cards)) expectGolden(`${goldenDir}${name}.golden.json`, renderAdaptiveCard(message));
  });

  it('emits cards the adaptivecards SDK parses with no errors or warnings', () => {
    for (const [name, message] of Object.entries(cards)) expect({ name, problems: adaptiveCardProblems(renderAdaptiveCard(message)) }).toEqual({ name, problems: [] });
  });

  it('is a version 1.5 card, which Universal Actions need', () => {
    expect(renderAdaptiveCard(cards.status!).version).toBe('1.5');
  });

  it('makes each button an Action.Execute whose verb is the action id and whose data carries the value', () => {
    const [, , ack] = renderAdaptiveCard(cards['alert-with-actions']!).actions!;
    expect(ack).toEqual({ type: 'Action.Execute', id: 'alert.ack', title: 'Acknowledge', verb: 'alert.ack', data: { value: 'iABCDEF' } });
  });

  it('asks on the card before a dangerous action: the Execute sits inside a ShowCard with the question', () => {
    const [confirm, cancel] = renderAdaptiveCard(cards['plan-needs-confirmation']!).actions!;
    expect(confirm!.type).toBe('Action.ShowCard');
    const ask = confirm as ShowCardAction;
    expect(ask.title).toBe('Confirm');
    expect(JSON.stringify(ask.card.body)).toContain('Are you sure?');
    expect(ask.card.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'plan.confirm', title: 'Yes, do it', style: 'destructive', data: { value: 'cAAAAAAAAAAAA' } });
    expect((cancel as ExecuteAction).verb).toBe('plan.cancel');
  });

  it('shows code in a monospace block and progress as a text bar', () => {
    const result = JSON.stringify(renderAdaptiveCard(cards['result-with-code']!));
    expect(result).toContain('"fontType":"Monospace"');
    expect(JSON.stringify(renderAdaptiveCard(cards['job-progress']!))).toContain('3/8 (38%) pods updated');
  });

  it('gives each severity its colour and emoji', () => {
    const heading = JSON.stringify(renderAdaptiveCard(cards['internal-error']!).body[0]);
    expect(heading).toContain('"style":"attention"');
    expect(heading).toContain('🚨 Something went wrong');
  });

  it('shortens a long output and says how much it left out, staying valid', () => {
    const card = renderAdaptiveCard({ title: 'Logs', code: 'x'.repeat(20_000) });
    expect(JSON.stringify(card)).toMatch(/8,001 characters of output not shown/);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('leaves out a button with a duplicate id and says so', () => {
    const card = renderAdaptiveCard({ title: 'Twice', actions: [{ id: 'a', label: 'One', style: 'default' }, { id: 'a', label: 'Two', style: 'default' }] });
    expect(card.actions).toHaveLength(1);
    expect(JSON.stringify(card.body)).toContain('Two: invalid or duplicate action id');
  });
});

/** Every element of a card, depth first, table cells included. */
function elements(list: readonly CardElement[]): CardElement[] {
  return list.flatMap((e) => [
    e,
    ...(e.type === 'Container' ? elements(e.items) : []),
    ...(e.type === 'Table' ? elements(e.rows.flatMap((r) => r.cells.flatMap((c) => c.items))) : []),
  ]);
}

const tableOf = (message: Message): TableElement => renderAdaptiveCard(message).body.find((e): e is TableElement => e.type === 'Table')!;
/** What a cell shows: its TextRuns, with the no-break spaces that keep indentation read as spaces. */
const shown = (cell: TableCell): string =>
  cell.items.map((i) => (i.type === 'RichTextBlock' ? i.inlines.map((r) => r.text).join('') : '')).join('').replaceAll('\u00a0', ' ');
const codeLines = (message: Message): RichTextBlock[] =>
  (renderAdaptiveCard(message).body.find((e): e is Container => e.type === 'Container' && e.style === 'emphasis')!.items as RichTextBlock[]);
const rows = (n: number): string[][] => Array.from({ length: n }, (_, i) => [String(i + 1), `pod-${i + 1}`, 'Running']);

describe('tables and code in a Teams card', () => {
  it('renders a history table as a Table whose first row is the header, one row per revision, cells as given', () => {
    const table = tableOf(historyCard);
    expect(table).toMatchObject({ firstRowAsHeader: true, showGridLines: true });
    expect(table.columns).toHaveLength(5);
    expect(table.rows.map((r) => r.cells.map(shown))).toEqual([
      ['', 'REVISION', 'IMAGE', 'AGE', 'CHANGE-CAUSE'],
      ['', '5', 'ghcr.io/intelgraph/maestro-orchestrator:v2.7.2', '9d', '<none>'],
      ['', '6', 'ghcr.io/intelgraph/maestro-orchestrator:v2.7.3', '3d', 'deploy v2.7.3 [hotfix](PR #812)'],
      ['*', '7', 'ghcr.io/intelgraph/maestro-orchestrator:v2.8.0', '2h', 'deploy v2.8.0 *canary* skipped'],
    ]);
  });

  it('sets the header cells bold and right-aligns the columns the table says are numbers', () => {
    const table = tableOf(historyCard);
    const header = table.rows[0]!.cells[1]!.items[0] as RichTextBlock;
    expect(header.inlines[0]!.weight).toBe('Bolder');
    expect(table.columns[1]!.horizontalCellContentAlignment).toBe('Right');
    expect(table.columns[2]!.horizontalCellContentAlignment).toBeUndefined();
  });

  it('puts table cells in TextRuns, which Teams never reads as Markdown, so *canary* and [hotfix](…) stay as written', () => {
    const cellTexts = elements(tableOf(historyCard).rows.flatMap((r) => r.cells.flatMap((c) => c.items)));
    expect(cellTexts.some((e) => e.type === 'TextBlock')).toBe(false);
    expect(cellTexts.every((e) => e.type === 'RichTextBlock')).toBe(true);
  });

  it('breaks a log tail into one block per line: N lines, N blocks, the later ones with no spacing between', () => {
    const lines = codeLines(logTailCard);
    expect(lines).toHaveLength(logTailLines.length);
    expect(lines.every((l) => l.type === 'RichTextBlock' && l.inlines.length === 1 && l.inlines[0]!.fontType === 'Monospace')).toBe(true);
    expect(lines.slice(1).every((l) => l.spacing === 'None')).toBe(true);
  });

  it('shows the Markdown characters of log lines literally: the text of each block is the line as logged', () => {
    const shownLines = codeLines(logTailCard).map((l) => l.inlines[0]!.text.replaceAll('\u00a0', ' '));
    expect(shownLines).toEqual(logTailLines.map((l) => (l === '' ? ' ' : l)));
    const markdownTexts = elements(renderAdaptiveCard(logTailCard).body).flatMap((e) => (e.type === 'TextBlock' ? [e.text] : []));
    expect(markdownTexts.join('\n')).not.toMatch(/\*\*upstream|\[runbook\]|# retry/);
  });

  it('keeps the indentation of a line, as no-break spaces a host cannot collapse', () => {
    const [indented] = codeLines({ title: 't', code: '    at handler (server.js:10:5)' });
    expect(indented!.inlines[0]!.text).toBe('\u00a0\u00a0\u00a0\u00a0at handler (server.js:10:5)');
  });

  it('sends no Markdown heading or pipe table through a TextBlock in any card: an export shows them as literal lines', () => {
    for (const [name, message] of Object.entries(cards)) {
      const markdownTexts = elements(renderAdaptiveCard(message).body).flatMap((e) => (e.type === 'TextBlock' ? [e.text] : []));
      expect({ name, headings: markdownTexts.filter((t) => /^#{1,6} |\|---/m.test(t)) }).toEqual({ name, headings: [] });
    }
    expect(codeLines(cards['incident-export']!)[0]!.inlines[0]!.text).toBe('## Rollback evidence: maestro-orchestrator');
  });

  it('cuts a table with too many rows, keeping the first ones, and says how many it left out', () => {
    const card = renderAdaptiveCard({ title: 'Audit', table: { columns: [{ header: 'N' }, { header: 'POD' }, { header: 'STATE' }], rows: rows(500) } });
    const table = card.body.find((e): e is TableElement => e.type === 'Table')!;
    const shownRows = table.rows.length - 1;
    expect(shownRows).toBeLessThan(500);
    expect(table.rows[1]!.cells.map(shown)).toEqual(['1', 'pod-1', 'Running']);
    expect(JSON.stringify(card.body.at(-1))).toContain(`${500 - shownRows} more rows of the table not shown`);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('keeps the last rows of a table sorted oldest first when it must cut, and says so', () => {
    const card = renderAdaptiveCard({ title: 'History', table: { columns: [{ header: 'N' }, { header: 'POD' }, { header: 'STATE' }], rows: rows(500), keep: 'last' } });
    const table = card.body.find((e): e is TableElement => e.type === 'Table')!;
    expect(table.rows.at(-1)!.cells.map(shown)).toEqual(['500', 'pod-500', 'Running']);
    expect(JSON.stringify(card.body.at(-1))).toMatch(/\d+ earlier rows of the table not shown/);
  });

  it('cuts rows to keep the card well under Teams\' message size, however long the cells', () => {
    const wide = Array.from({ length: 60 }, (_, i) => [String(i), 'x'.repeat(300), 'y'.repeat(300)]);
    const card = renderAdaptiveCard({ title: 'Wide', table: { columns: [{ header: 'N' }, { header: 'A' }, { header: 'B' }], rows: wide } });
    expect(JSON.stringify(card).length).toBeLessThan(40_000);
    expect(JSON.stringify(card.body.at(-1))).toContain('more rows of the table not shown');
  });

  it('bounds a code block by lines as well as characters, and says how many lines it left out', () => {
    const card = renderAdaptiveCard({ title: 'Logs', code: Array.from({ length: 400 }, (_, i) => `l${i}`).join('\n') });
    expect(codeLines({ title: 'Logs', code: Array.from({ length: 400 }, (_, i) => `l${i}`).join('\n') })).toHaveLength(150);
    expect(JSON.stringify(card.body.at(-1))).toContain('250 lines of output not shown');
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('stays valid and well under the 100 KB of a Teams message when every part of the message is oversized', () => {
    const huge: Message = {
      title: 'T'.repeat(400),
      severity: 'critical',
      text: 'line\n'.repeat(4000),
      fields: Array.from({ length: 120 }, (_, i) => ({ label: `L${i}`, value: 'v'.repeat(2000) })),
      table: { columns: Array.from({ length: 30 }, (_, i) => ({ header: `C${i}` })), rows: Array.from({ length: 500 }, () => Array.from({ length: 30 }, () => 'c'.repeat(400))) },
      code: 'x\n'.repeat(6000),
      actions: Array.from({ length: 4 }, (_, i) => ({ id: `a${i}`, label: `B${i}`, style: 'default' as const })),
      footer: 'F',
    };
    const card = renderAdaptiveCard(huge);
    expect(JSON.stringify(card).length).toBeLessThan(100_000);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(JSON.stringify(card.body.at(-1))).toContain('18 columns of the table not shown');
  });

  it('gives each line of text its own TextBlock, since Teams joins single newlines into one paragraph', () => {
    const body = renderAdaptiveCard({ title: 't', text: 'Usage: rollback <service>\nNot available here: no token.' }).body;
    expect(body.slice(1)).toEqual([
      { type: 'TextBlock', text: 'Usage: rollback <service>', wrap: true },
      { type: 'TextBlock', text: 'Not available here: no token.', wrap: true, spacing: 'None' },
    ]);
  });
});

describe('the Adaptive Card validity check', () => {
  it('does report an unknown element type, so a clean result means something', () => {
    expect(adaptiveCardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlok', text: 'x' }] })).not.toEqual([]);
  });

  it('parses as a 1.5 host: an element newer than 1.5 is reported', () => {
    // Carousel is a 1.6 element: parsed for 1.6 it would only be told its initialPage is invalid.
    expect(adaptiveCardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel', pages: [] }] })).toContain(
      'Unknown element type "Carousel". Fallback will be used if present.',
    );
  });
});
