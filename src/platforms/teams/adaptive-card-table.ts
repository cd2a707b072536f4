import type { Table } from '../../core/message.js';
import { keptRows } from '../shared/table-cut.js';
import { count, truncate } from '../shared/truncate.js';
import type { TableCell, TableElement, TableRow } from './adaptive-card-elements.js';
import { literalRun } from './adaptive-card-literal.js';

/**
 * A Table's share of a card. Teams refuses a bot message over about 100 KB and a table
 * cell costs ~120 bytes of JSON around its text, so the rows are bounded by count and
 * by size; what is cut is said in the card's note.
 */
export const TABLE_LIMITS = { rows: 60, bytes: 20_000, cell: 300, columns: 12 } as const;

/** Relative column weights from the widest cell, bounded so one long cell cannot squeeze the rest to nothing. */
function weight(table: Table, column: number): number {
  const widest = Math.max(table.columns[column]!.header.length, ...table.rows.map((row) => (row[column] ?? '').length));
  return Math.min(30, Math.max(2, widest));
}

function cell(text: string, header: boolean, right: boolean): TableCell {
  if (text === '') return { type: 'TableCell', items: [] };
  const run = literalRun(truncate(text, TABLE_LIMITS.cell), header ? { weight: 'Bolder' } : {});
  return { type: 'TableCell', items: [{ type: 'RichTextBlock', inlines: [run], ...(right ? { horizontalAlignment: 'Right' as const } : {}) }] };
}

function row(cells: readonly string[], table: Table, header: boolean): TableRow {
  return { type: 'TableRow', cells: table.columns.map((column, i) => cell(cells[i] ?? '', header, column.align === 'right')) };
}

/** The table as a Table element whose first row is the header; rows that do not fit are left out, and `notes` says so. */
export function renderTable(source: Table, notes: string[]): TableElement {
  let table = source;
  if (table.columns.length > TABLE_LIMITS.columns) {
    notes.push(`${count(table.columns.length - TABLE_LIMITS.columns, 'column')} of the table not shown`);
    table = { ...table, columns: table.columns.slice(0, TABLE_LIMITS.columns), rows: table.rows.map((r) => r.slice(0, TABLE_LIMITS.columns)) };
  }
  const { rows } = keptRows(table, TABLE_LIMITS.rows);
  const rendered = rows.map((r) => row(r, table, false));
  let size = rendered.reduce((sum, r) => sum + JSON.stringify(r).length, 0);
  // Drop from the end that matters least until the rows fit their share of the card.
  while (size > TABLE_LIMITS.bytes && rendered.length > 1) {
    const dropped = table.keep === 'last' ? rendered.shift()! : rendered.pop()!;
    size -= JSON.stringify(dropped).length;
  }
  const cut = table.rows.length - rendered.length;
  if (cut > 0) notes.push(`${count(cut, table.keep === 'last' ? 'earlier row' : 'more row')} of the table not shown`);
  return {
    type: 'Table',
    columns: table.columns.map((column, i) => ({ width: weight(table, i), ...(column.align === 'right' ? { horizontalCellContentAlignment: 'Right' as const } : {}) })),
    rows: [row(table.columns.map((c) => c.header), table, true), ...rendered],
    firstRowAsHeader: true,
    showGridLines: true,
  };
}
