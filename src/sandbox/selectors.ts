import { getPath } from './json.js';
import type { LabelSelectorSpec } from './types.js';
import { badRequest } from './status.js';

type Requirement = { key: string; op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | '!exists'; values: string[] };
export type Matcher = (labels: Record<string, string> | undefined) => boolean;

/** Parses the `labelSelector` query syntax (=, ==, !=, in, notin, key, !key). */
export function parseLabelSelector(text: string | null | undefined): Matcher {
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(text ?? '')) {
    const setMatch = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    const eqMatch = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part);
    if (setMatch) {
      reqs.push({ key: setMatch[1]!, op: setMatch[2] as 'in' | 'notin', values: setMatch[3]!.split(',').map((v) => v.trim()) });
    } else if (eqMatch) {
      reqs.push({ key: eqMatch[1]!, op: eqMatch[2] === '!=' ? 'neq' : 'eq', values: [eqMatch[3]!] });
    } else if (/^![\w./-]+$/.test(part)) {
      reqs.push({ key: part.slice(1), op: '!exists', values: [] });
    } else if (/^[\w./-]+$/.test(part)) {
      reqs.push({ key: part, op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: invalid label selector "${text}"`);
    }
  }
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case 'eq':
    case 'in':
      return has && r.values.includes(value!);
    case 'neq':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!exists':
      return !has;
  }
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts.filter((p) => p.length > 0);
}

/** Field selectors on dotted paths (`metadata.name=x`, `involvedObject.uid=...`), = / == / !=. */
export function parseFieldSelector(text: string | null | undefined): (obj: unknown) => boolean {
  const reqs = splitTopLevel(text ?? '').map((part) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid field selector: "${part}"`);
    return { path: m[1]!, neq: m[2] === '!=', value: m[3]! };
  });
  return (obj) =>
    reqs.every((r) => {
      const actual = getPath(obj, r.path);
      const text = actual === undefined || actual === null ? '' : String(actual);
      return r.neq ? text !== r.value : text === r.value;
    });
}

/** A Deployment/ReplicaSet selector as a matcher. */
export function selectorMatcher(spec: LabelSelectorSpec): Matcher {
  const parts = Object.entries(spec.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of spec.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parseLabelSelector(parts.join(','));
}

export function selectorString(spec: LabelSelectorSpec): string {
  return Object.entries(spec.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
