import { durationMs } from '../core/duration.js';
/**
 * The shapes of PromQL the catalog's indicators take, read back into what a
 * workload must export for that query to give a chosen value. Only these shapes
 * are known; an indicator of another shape is simply not exported (and the
 * built-in API still answers it).
 */

export interface Selector {
  name: string;
  /** Equality matchers: the labels an exported series must carry to be selected. */
  labels: Record<string, string>;
  /** Regex matchers (`status=~"5.."`), for a numerator that is a subset of its denominator. */
  regex: Record<string, string>;
}

export type Shape =
  /** sum(rate(errors)) / sum(rate(requests)); errors may be a labelled subset of requests. */
  | { kind: 'counterRatio'; numerator: Selector; denominator: Selector }
  /** histogram_quantile(q, sum(rate(h_bucket)) by (le)) */
  | { kind: 'quantile'; q: number; histogram: Selector }
  /** max(g) or avg(g) */
  | { kind: 'gauge'; gauge: Selector }
  /** max(g) / max(limit) */
  | { kind: 'gaugeRatio'; gauge: Selector; limit: Selector }
  /** max(rate(c)) / max(limit) */
  | { kind: 'rateRatio'; counter: Selector; limit: Selector }
  /** sum(rate(c)) */
  | { kind: 'rate'; counter: Selector }
  /** sum(increase(c[range])) / max(limit) */
  | { kind: 'increaseRatio'; counter: Selector; rangeSeconds: number; limit: Selector };

const SEL = String.raw`(\w+)\{([^}]*)\}`;
const RANGE = String.raw`\[(\d+[smhd])\]`;

function selector(name: string, matchers: string): Selector {
  const labels: Record<string, string> = {};
  const regex: Record<string, string> = {};
  for (const m of matchers.matchAll(/(\w+)(=~|!~|!=|=)"([^"]*)"/g)) {
    if (m[2] === '=') labels[m[1]!] = m[3]!;
    if (m[2] === '=~') regex[m[1]!] = m[3]!;
  }
  return { name, labels, regex };
}

function durationSeconds(text: string): number {
  return durationMs(text) / 1000;
}

/** Queries compared as the catalog fills them, whatever their spacing. */
export const normaliseQuery = (q: string) => q.replace(/\s+/g, '');

const PATTERNS: [RegExp, (m: RegExpMatchArray) => Shape][] = [
  [
    new RegExp(`^sum\\(rate\\(${SEL}${RANGE}\\)\\)/sum\\(rate\\(${SEL}${RANGE}\\)\\)$`),
    (m) => ({ kind: 'counterRatio', numerator: selector(m[1]!, m[2]!), denominator: selector(m[4]!, m[5]!) }),
  ],
  [
    new RegExp(`^histogram_quantile\\(([\\d.]+),sum\\(rate\\((\\w+)_bucket\\{([^}]*)\\}${RANGE}\\)\\)by\\(le\\)\\)$`),
    (m) => ({ kind: 'quantile', q: Number(m[1]), histogram: selector(m[2]!, m[3]!) }),
  ],
  [new RegExp(`^(?:max|avg)\\(${SEL}\\)$`), (m) => ({ kind: 'gauge', gauge: selector(m[1]!, m[2]!) })],
  [new RegExp(`^max\\(${SEL}\\)/max\\(${SEL}\\)$`), (m) => ({ kind: 'gaugeRatio', gauge: selector(m[1]!, m[2]!), limit: selector(m[3]!, m[4]!) })],
  [
    new RegExp(`^max\\(rate\\(${SEL}${RANGE}\\)\\)/max\\(${SEL}\\)$`),
    (m) => ({ kind: 'rateRatio', counter: selector(m[1]!, m[2]!), limit: selector(m[4]!, m[5]!) }),
  ],
  [new RegExp(`^sum\\(rate\\(${SEL}${RANGE}\\)\\)$`), (m) => ({ kind: 'rate', counter: selector(m[1]!, m[2]!) })],
  [
    new RegExp(`^sum\\(increase\\(${SEL}${RANGE}\\)\\)/max\\(${SEL}\\)$`),
    (m) => ({ kind: 'increaseRatio', counter: selector(m[1]!, m[2]!), rangeSeconds: durationSeconds(m[3]!), limit: selector(m[4]!, m[5]!) }),
  ],
];

/** The shape of a filled-in indicator query, or undefined when it is none of the known ones. */
export function shapeOf(promql: string): Shape | undefined {
  const q = normaliseQuery(promql);
  for (const [pattern, build] of PATTERNS) {
    const m = q.match(pattern);
    if (m) return build(m);
  }
  return undefined;
}
