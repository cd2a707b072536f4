/** About what a chat message's code block holds comfortably on Slack and Teams alike. */
export const CODE_BLOCK_LIMIT = 2500;

export interface CappedText {
  code: string;
  /** Set when lines were left out: says how many, for the message's footer. */
  note?: string;
}

/**
 * Keeps the last lines that fit (the newest, for a log tail), cutting a single overlong
 * line rather than dropping it, and says what was left out.
 */
export function capTail(lines: readonly string[], limit = CODE_BLOCK_LIMIT): CappedText {
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    let line = lines[i]!;
    if (line.length > limit) line = `${line.slice(0, limit - 20)} …[line cut]`;
    if (size + line.length + 1 > limit) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  const cut = lines.length - kept.length;
  return {
    code: kept.join('\n'),
    note: cut > 0 ? `${cut} earlier line${cut === 1 ? '' : 's'} cut to fit the message; see the full output with kubectl` : undefined,
  };
}

export function formatAge(since: Date | undefined, now = Date.now()): string {
  if (!since) return '?';
  const s = Math.max(0, Math.round((now - since.getTime()) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.round(h / 24)}d`;
}

/** About how many rows a chat table holds and is still read; a renderer may show fewer to fit its platform. */
export const TABLE_ROW_LIMIT = 50;

/**
 * Keeps at most `limit` rows — the first, or the last (the newest, for a list sorted
 * oldest first) — and says how many were left out.
 */
export function capRows<T>(rows: readonly T[], keep: 'first' | 'last', limit = TABLE_ROW_LIMIT): { rows: T[]; cut: number } {
  if (rows.length <= limit) return { rows: [...rows], cut: 0 };
  return { rows: keep === 'last' ? rows.slice(rows.length - limit) : rows.slice(0, limit), cut: rows.length - limit };
}
