/**
 * Lines of several pods in one order. Each pod's log is read with `timestamps=true`, so
 * every line starts with the kubelet's RFC 3339 time (nanoseconds, trailing zeros trimmed,
 * always UTC) and a space; that time, not the application's own, orders them.
 */
export interface PodLine {
  pod: string;
  /** The line as the container wrote it, the kubelet's timestamp taken off. */
  text: string;
  /** Sortable: the seconds part and the fraction padded to nine digits. */
  key: string;
}

const KUBELET_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z /;

/**
 * One pod's log as PodLines. A line without the kubelet's prefix (never sent by a real
 * API server, but cheap to survive) keeps the time of the line before it.
 */
export function podLines(pod: string, log: string): PodLine[] {
  const out: PodLine[] = [];
  let key = '';
  for (const raw of log.split('\n')) {
    if (!raw) continue;
    const m = KUBELET_TIME.exec(raw);
    if (m) key = `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`;
    out.push({ pod, text: m ? raw.slice(m[0].length) : raw, key });
  }
  return out;
}

/** All pods' lines oldest first; lines of the same instant keep their pod's order (the sort is stable). */
export function mergeByTime(perPod: readonly PodLine[][]): PodLine[] {
  return perPod.flat().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
