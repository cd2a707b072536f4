import type { Message, Progress, Severity } from '../../core/message.js';
import { alignedLines } from '../shared/aligned-table.js';

const marker: Record<Severity, string> = {
  info: 'ℹ',
  success: '✔',
  warning: '⚠',
  critical: '✖',
};

const BAR_WIDTH = 20;

export function progressBar(progress: Progress): string {
  const ratio = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const label = progress.label ? ` ${progress.label}` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${progress.done}/${progress.total}${label}`;
}

/** The Message model as plain text for a terminal: the console's renderer. */
export function renderText(message: Message): string {
  const lines: string[] = [];
  lines.push(message.severity ? `${marker[message.severity]} ${message.title}` : message.title);
  if (message.text) lines.push(...message.text.split('\n').map((l) => `  ${l}`));
  if (message.fields?.length) {
    // Aligned up to a point: one long label must not push every value off the screen.
    const width = Math.min(24, Math.max(...message.fields.map((f) => f.label.length)));
    const hang = '\n'.padEnd(width + 5);
    for (const field of message.fields) {
      lines.push(`  ${`${field.label}:`.padEnd(width + 1)} ${field.value.split('\n').join(hang)}`);
    }
  }
  // A terminal has no size limit worth cutting for: every row, in aligned columns.
  if (message.table) lines.push(...alignedLines(message.table).map((l) => `    ${l}`));
  if (message.code) lines.push(...message.code.split('\n').map((l) => `    ${l}`));
  if (message.progress) lines.push(`  ${progressBar(message.progress)}`);
  if (message.actions?.length) {
    lines.push(`  Actions (buttons in chat): ${message.actions.map((a) => a.label).join(' · ')}`);
  }
  if (message.footer) lines.push(`  ${message.footer}`);
  return lines.join('\n');
}
