import type { RichTextBlock, TextRun } from './adaptive-card-elements.js';

const NBSP = '\u00a0';

/**
 * Text the card must show exactly as written (log lines, table cells from the cluster,
 * Markdown meant to be copied). A TextBlock would run it through Teams' Markdown: `*`
 * and `_` turn into emphasis, `[x](url)` into a link, `- ` into a bullet, `<service>`
 * into a dropped HTML tag, and single newlines collapse. A TextRun is never read as
 * Markdown, so nothing needs escaping — and no backslash shows on a host that would
 * not have unescaped it.
 *
 * Hosts render a TextRun as HTML text, which collapses runs of spaces: leading spaces
 * and runs of two or more become no-break spaces, so indentation survives. An empty
 * line becomes one no-break space, so it still takes its line.
 */
export function literalText(text: string): string {
  if (text.length === 0) return NBSP;
  return text.replace(/^ +| {2,}/g, (spaces) => NBSP.repeat(spaces.length));
}

export function literalRun(text: string, style: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  return { type: 'TextRun', text: literalText(text), ...style };
}

/** One block per line: lines really break, whatever the host does with newlines inside a text. */
export function literalLines(lines: readonly string[], style: Omit<TextRun, 'type' | 'text'> = {}): RichTextBlock[] {
  return lines.map((line, i) => ({ type: 'RichTextBlock', inlines: [literalRun(line, style)], ...(i > 0 ? { spacing: 'None' as const } : {}) }));
}
