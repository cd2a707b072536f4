import type { SandboxExposition } from './exposition.js';

/**
 * What a real Prometheus would have scraped from the sandbox over a past stretch of
 * time, as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: the
 * pods as they are now, exported at every step. It lets a test or a drill give a real
 * Prometheus a day of history (the catalog's `[1d]` token budget) without waiting one.
 * `exposition` must be a fresh one: its counters start at zero at `from`.
 */
export interface HistoryStep {
  /** Start of the stretch (ms); it ends at `to`. */
  from: number;
  to: number;
  stepMs: number;
}

export function metricsHistory(exposition: SandboxExposition, steps: readonly HistoryStep[]): string {
  // OpenMetrics wants each metric's samples together and in time order, so collect by name first.
  const byName = new Map<string, string[]>();
  for (const { from, to, stepMs } of steps) {
    for (let at = from; at <= to; at += stepMs) {
      for (const line of exposition.render(at).split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const name = line.slice(0, line.search(/[{ ]/));
        const lines = byName.get(name) ?? [];
        lines.push(`${line} ${(at / 1000).toFixed(3)}`);
        byName.set(name, lines);
      }
    }
  }
  return `${[...byName.values()].flat().join('\n')}\n# EOF\n`;
}
