import type { types } from '@slack/bolt';

/** The text of a table cell: a raw_text's, or the text elements of a rich_text's sections. */
export function cellText(cell: types.TableBlock['rows'][number][number]): string {
  if (cell.type !== 'rich_text') return String(cell.text);
  return cell.elements.map((e) => (e.type === 'rich_text_section' ? e.elements.map((t) => (t.type === 'text' ? t.text : '')).join('') : '')).join('');
}

/**
 * Slack's Block Kit limits, checked independently of the renderer's own constants
 * (node-slack-sdk packages/types/src/block-kit): returns every violation found.
 */
export function blockKitViolations(message: { text?: string; blocks?: types.KnownBlock[] }): string[] {
  const problems: string[] = [];
  const blocks = message.blocks ?? [];
  if (!message.text) problems.push('no plain text fallback');
  if (blocks.length > 50) problems.push(`${blocks.length} blocks > 50`);
  // docs.slack.dev/reference/block-kit/blocks/table-block: ≤ 100 rows of ≤ 20 cells, ≤ 20 column settings; one table per message.
  if (blocks.filter((b) => b.type === 'table').length > 1) problems.push('more than one table block');
  blocks.forEach((block, i) => {
    const where = `block ${i} (${block.type})`;
    if (block.type === 'header' && block.text.text.length > 150) problems.push(`${where}: header text > 150`);
    if (block.type === 'section') {
      if (block.text && block.text.text.length > 3000) problems.push(`${where}: text ${block.text.text.length} > 3000`);
      if (block.fields && block.fields.length > 10) problems.push(`${where}: ${block.fields.length} fields > 10`);
      for (const field of block.fields ?? []) if (field.text.length > 2000) problems.push(`${where}: field ${field.text.length} > 2000`);
      if (!block.text && !block.fields?.length) problems.push(`${where}: neither text nor fields`);
    }
    if (block.type === 'context') {
      if (block.elements.length > 10) problems.push(`${where}: > 10 elements`);
      for (const element of block.elements) if ('text' in element && element.text.length > 3000) problems.push(`${where}: text > 3000`);
    }
    if (block.type === 'table') {
      if (block.rows.length > 100) problems.push(`${where}: ${block.rows.length} rows > 100`);
      if ((block.column_settings?.length ?? 0) > 20) problems.push(`${where}: column_settings > 20`);
      for (const row of block.rows) {
        if (row.length > 20) problems.push(`${where}: ${row.length} cells > 20`);
        for (const cell of row) if (cellText(cell).length === 0) problems.push(`${where}: empty cell`);
      }
    }
    if (block.type === 'actions') {
      if (block.elements.length > 25) problems.push(`${where}: ${block.elements.length} elements > 25`);
      const ids = new Set<string>();
      for (const element of block.elements) {
        if (element.type !== 'button') continue;
        if (element.text.text.length > 75) problems.push(`${where}: button text > 75`);
        if ((element.value?.length ?? 0) > 2000) problems.push(`${where}: button value > 2000`);
        const id = element.action_id ?? '';
        if (id.length === 0 || id.length > 255) problems.push(`${where}: action_id length ${id.length}`);
        if (ids.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
        ids.add(id);
        if (element.confirm) {
          const c = element.confirm;
          if ((c.title?.text.length ?? 0) > 100) problems.push(`${where}: confirm title > 100`);
          if ((c.text?.text.length ?? 0) > 300) problems.push(`${where}: confirm text > 300`);
          if ((c.confirm?.text.length ?? 0) > 30 || (c.deny?.text.length ?? 0) > 30) problems.push(`${where}: confirm buttons > 30`);
        }
      }
    }
  });
  return problems;
}
