/**
 * Kubernetes resource quantities (`250m`, `1`, `145123456n`, `256Mi`, `1.5Gi`, `1e3`) as
 * numbers. CPU rounds up to whole millicores the way resource.Quantity.MilliValue does, so
 * a reading agrees with what `kubectl top` prints for the same PodMetrics.
 */
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const FORM = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** The quantity's value in base units, or undefined for text that is not a quantity. */
export function quantity(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  const m = FORM.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? '']!;
}

/** Millicores, rounded up (MilliValue); a tiny epsilon keeps 0.25 × 1000 from becoming 251. */
export function milliCores(text: string | number | undefined): number | undefined {
  const v = quantity(text);
  return v === undefined ? undefined : Math.ceil(v * 1000 - 1e-9);
}

/** Bytes, rounded up (Value). */
export function bytes(text: string | number | undefined): number | undefined {
  const v = quantity(text);
  return v === undefined ? undefined : Math.ceil(v - 1e-9);
}
