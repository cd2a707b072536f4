import type { Table } from '../../core/message.js';

/**
 * A table as monospaced lines: the header row, then one line per row, each column
 * padded to its widest cell (right-aligned columns padded on the left). The console
 * shows this, and Slack falls back to it in a code block when a table breaks its
 * table block's limits.
 */
export function alignedLines(table: Table): string[] {
  const all = [table.columns.map((c) => c.header), ...table.rows];
  const widths = table.columns.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) =>
    table.columns
      .map((column, i) => {
        const cell = row[i] ?? '';
        if (column.align === 'right') return cell.padStart(widths[i]!);
        return i === table.columns.length - 1 ? cell : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd(),
  );
}
