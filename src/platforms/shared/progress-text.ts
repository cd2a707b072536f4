import type { Progress } from '../../core/message.js';

const BAR_WIDTH = 20;

/** `████████░░░░░░░░░░░░ 2/5 (40%) waiting for pods`: the same bar on every platform. */
export function progressText(progress: Progress): string {
  const ratio = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  return `${bar} ${progress.done}/${progress.total} (${Math.round(ratio * 100)}%)${progress.label ? ` ${progress.label}` : ''}`;
}
