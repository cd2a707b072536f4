import type { types } from '@slack/bolt';
import type { Message, MessageAction, Severity, Table } from '../../core/message.js';
import { alignedLines } from '../shared/aligned-table.js';
import { progressText } from '../shared/progress-text.js';
import { keptRows } from '../shared/table-cut.js';
import { count, truncate } from '../shared/truncate.js';

/**
 * The Block Kit renderer: the Message model as Slack blocks plus the plain `text`
 * fallback (notifications, screen readers, old clients). Slack rejects a message
 * that breaks a Block Kit limit, so every limit is enforced here by shortening,
 * with a visible note saying what was left out — a card is never lost to its size.
 */

/** Slack's documented limits (node-slack-sdk packages/types/src/block-kit). */
export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** The table block (docs.slack.dev/reference/block-kit/blocks/table-block): rows include the header; one table per message. */
  tableRows: 100,
  tableColumns: 20,
} as const;

/** Slack documents no cell length; this bound is ours, so one runaway cell cannot fill the message. */
const TABLE_CELL = 500;

/** Beyond these a card stops being readable on a phone; the rest is summarised in the note. */
const MAX_FIELDS_SHOWN = 40;
const MAX_TEXT_SECTIONS = 4;
const MAX_CODE_SECTIONS = 4;
const FALLBACK_TEXT = 3000;

export const severityEmoji: Record<Severity, string> = {
  info: ':information_source:',
  success: ':white_check_mark:',
  warning: ':warning:',
  critical: ':rotating_light:',
};

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

export function renderBlocks(message: Message): SlackMessage {
  const notes: string[] = [];
  const blocks: types.KnownBlock[] = [];
  const heading = message.severity ? `${severityEmoji[message.severity]} ${message.title}` : message.title;
  blocks.push({ type: 'header', text: plain(heading, LIMITS.headerText) });

  if (message.text) {
    const { chunks, omitted } = split(escapeMrkdwn(message.text), LIMITS.sectionText, MAX_TEXT_SECTIONS);
    for (const chunk of chunks) blocks.push(section(chunk));
    if (omitted > 0) notes.push(`${count(omitted, 'character')} of text not shown`);
  }

  if (message.fields?.length) {
    const shown = message.fields.slice(0, MAX_FIELDS_SHOWN);
    for (let i = 0; i < shown.length; i += LIMITS.fields) {
      const fields = shown.slice(i, i + LIMITS.fields).map((f) => mrkdwn(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, LIMITS.fieldText));
      blocks.push({ type: 'section', fields });
    }
    const hidden = message.fields.length - shown.length;
    if (hidden > 0) notes.push(`${count(hidden, 'more field')} not shown`);
  }

  if (message.table) {
    // Wider than the table block allows: today's aligned columns in a code block, so nothing is lost.
    if (message.table.columns.length > LIMITS.tableColumns) blocks.push(...codeSections(alignedLines(message.table).join('\n'), 'table', notes));
    else blocks.push(tableBlock(message.table, notes));
  }

  if (message.code) blocks.push(...codeSections(message.code, 'output', notes));

  if (message.progress) blocks.push(section(escapeMrkdwn(progressText(message.progress))));

  if (message.actions?.length) {
    const { elements, dropped } = buttons(message.actions);
    if (elements.length > 0) blocks.push({ type: 'actions', elements });
    if (dropped.length > 0) notes.push(`${count(dropped.length, 'button')} left out (${dropped.join('; ')})`);
  }

  if (message.footer) blocks.push(context(escapeMrkdwn(message.footer)));

  if (blocks.length > LIMITS.blocks - 1) {
    notes.push(`${count(blocks.length - (LIMITS.blocks - 1), 'block')} not shown`);
    blocks.splice(LIMITS.blocks - 1);
  }
  if (notes.length > 0) blocks.push(context(`:scissors: Shortened to fit Slack's limits: ${notes.join('; ')}.`));

  return { text: fallbackText(heading, message), blocks };
}

/** Preformatted text in fenced sections, split at line breaks; `what` names it in the note when some is cut. */
function codeSections(text: string, what: string, notes: string[]): types.SectionBlock[] {
  // Fences plus newlines take 8 characters of each section.
  const code = text.replaceAll('```', '`\u200b``');
  const { chunks, omitted } = split(escapeMrkdwn(code), LIMITS.sectionText - 8, MAX_CODE_SECTIONS);
  if (omitted > 0) notes.push(`${count(omitted, 'character')} of ${what} not shown`);
  return chunks.map((chunk) => section(`\`\`\`\n${chunk}\n\`\`\``));
}

/**
 * A table block: the header row first (bold), long cells wrapped rather than clipped.
 * Cells are rich_text `text` elements, shown as written (never read as mrkdwn, so
 * nothing is escaped): Slack's own table example uses them, while raw_text cells have
 * been reported failing (soxtoby/SlackNet#246). Slack needs at least one character per
 * cell, and every column says its alignment.
 */
function tableBlock(table: Table, notes: string[]): types.TableBlock {
  const { rows, note } = keptRows(table, LIMITS.tableRows - 1);
  if (note) notes.push(note);
  const cell = (text: string, bold = false): types.RichTextBlock => ({
    type: 'rich_text',
    elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: truncate(text, TABLE_CELL) || ' ', ...(bold ? { style: { bold: true } } : {}) }] }],
  });
  return {
    type: 'table',
    column_settings: table.columns.map((c) => ({ is_wrapped: true, align: c.align ?? 'left' })),
    rows: [table.columns.map((c) => cell(c.header, true)), ...rows.map((r) => table.columns.map((_, i) => cell(r[i] ?? '')))],
  };
}

function buttons(actions: readonly MessageAction[]): { elements: types.Button[]; dropped: string[] } {
  const elements: types.Button[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    // An id or value cannot be shortened without pointing at something else: such a button is left out.
    if (action.id.length === 0 || action.id.length > LIMITS.actionId || seen.has(action.id)) {
      dropped.push(`${action.label}: invalid or duplicate action id`);
      continue;
    }
    if (action.value !== undefined && action.value.length > LIMITS.buttonValue) {
      dropped.push(`${action.label}: value too long`);
      continue;
    }
    if (elements.length === LIMITS.actionsElements) {
      dropped.push(`${action.label}: too many buttons`);
      continue;
    }
    seen.add(action.id);
    const button: types.Button = { type: 'button', action_id: action.id, text: plain(action.label, LIMITS.buttonText) };
    if (action.value !== undefined) button.value = action.value;
    if (action.style !== 'default') button.style = action.style;
    const dialog = action.confirm ?? (action.style === 'danger' ? { title: 'Are you sure?', text: `${action.label}?`, confirm: action.label, deny: 'Back' } : undefined);
    if (dialog) {
      button.confirm = {
        title: plain(dialog.title, LIMITS.confirmTitle),
        text: plain(dialog.text, LIMITS.confirmText),
        confirm: plain(dialog.confirm, LIMITS.confirmButton),
        deny: plain(dialog.deny, LIMITS.confirmButton),
        ...(action.style === 'danger' ? { style: 'danger' as const } : {}),
      };
    }
    elements.push(button);
  }
  return { elements, dropped };
}

/**
 * The top-level `text` is mrkdwn too (notifications show it, and Slack parses its
 * mentions and links): it is escaped like the blocks, or a title or log line with
 * `<!channel>` in it would notify the whole channel.
 */
function fallbackText(heading: string, message: Message): string {
  const parts = [heading, message.text, message.progress ? progressText(message.progress) : undefined, message.footer];
  return truncateEscaped(
    escapeMrkdwn(parts.filter((p): p is string => Boolean(p)).join('\n')),
    FALLBACK_TEXT,
  );
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text, LIMITS.sectionText) };
}

function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [mrkdwn(text, LIMITS.contextText)] };
}

function plain(text: string, max: number): types.PlainTextElement {
  // Slack refuses empty text objects.
  return { type: 'plain_text', text: truncate(text, max) || ' ', emoji: true };
}

function mrkdwn(text: string, max: number): types.MrkdwnElement {
  return { type: 'mrkdwn', text: truncateEscaped(text, max) || ' ' };
}

/** Slack's mrkdwn treats &, < and > as control characters; everything else is shown as written. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}


/** As truncate, but never leaves half an `&amp;` behind. */
function truncateEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${truncate(text, max).slice(0, -1).replace(/&[a-z]*$/, '')}…`;
}

/** Splits at line breaks where it can, so a log tail is not cut mid-line; returns what did not fit. */
function split(text: string, size: number, maxChunks: number): { chunks: string[]; omitted: number } {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > 0 && chunks.length < maxChunks) {
    if (rest.length <= size) {
      chunks.push(rest);
      rest = '';
      break;
    }
    let end = rest.lastIndexOf('\n', size);
    if (end < size / 2) end = /[\uD800-\uDBFF]/.test(rest.charAt(size - 1)) ? size - 1 : size;
    const entity = /&[a-z]*$/.exec(rest.slice(0, end));
    if (entity) end -= entity[0].length;
    chunks.push(rest.slice(0, end));
    rest = rest.slice(end).replace(/^\n/, '');
  }
  return { chunks, omitted: rest.length };
}
