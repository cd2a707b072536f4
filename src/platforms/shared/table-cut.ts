import type { Table } from '../../core/message.js';
import { count } from './truncate.js';

/**
 * The rows a renderer shows when it can show at most `max`: the first or the last
 * ones, as the table says matter (`keep`), and the note saying how many were left out.
 */
export function keptRows(table: Table, max: number): { rows: string[][]; note?: string } {
  if (table.rows.length <= max) return { rows: table.rows };
  const cut = table.rows.length - max;
  const last = table.keep === 'last';
  return {
    rows: last ? table.rows.slice(cut) : table.rows.slice(0, max),
    note: `${count(cut, last ? 'earlier row' : 'more row')} of the table not shown`,
  };
}
