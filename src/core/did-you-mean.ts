/**
 * Suggestions for a mistyped verb, service, env or flag. Typos in chat are mostly one
 * slip of the thumb (a dropped, doubled or swapped letter), so the measure is the
 * Damerau–Levenshtein distance (optimal string alignment), where a swap costs one.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

export const MAX_SUGGESTION_DISTANCE = 2;

/**
 * The candidates the input most likely meant, best evidence first: those one edit away;
 * else the one candidate with a word starting with the input (`roll` → rollback,
 * `revision` → to-revision); else those two edits away, for inputs long enough that
 * two edits still leave most of the word (`can` is not a typo of `scale`). Ties are all
 * returned. Empty when nothing is close: a wild guess is worse than no suggestion.
 */
export function suggest(input: string, candidates: readonly string[]): string[] {
  const needle = input.toLowerCase();
  if (!needle) return [];
  const others = candidates.filter((c) => c.toLowerCase() !== needle);
  const within = (max: number) => {
    const scored = others.map((c) => ({ c, d: editDistance(needle, c.toLowerCase()) })).filter((s) => s.d <= max);
    const best = Math.min(...scored.map((s) => s.d));
    return scored.filter((s) => s.d === best).map((s) => s.c);
  };
  const near = within(1);
  if (near.length > 0) return near.slice(0, 3);
  const starts = others.filter((c) => c.toLowerCase().split(/[-\s]/).some((_, i, parts) => parts.slice(i).join('-').startsWith(needle)));
  if (starts.length === 1) return starts;
  return needle.length > 4 ? within(MAX_SUGGESTION_DISTANCE).slice(0, 3) : [];
}

/** `did you mean 'rollback'?` or `did you mean 'scale' or 'stale'?`; empty when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return `did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`;
}
