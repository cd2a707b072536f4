import { clone, isObject } from './json.js';
import { PatchError } from './patch.js';

/**
 * Lists that the Kubernetes types merge by a key instead of replacing
 * (`patchMergeKey` in k8s.io/api). Keyed by field name, which is unambiguous for
 * the resources the sandbox serves.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ownerReferences: 'uid',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

/** Strategic merge patch, with the directives kubectl emits ($patch, $setElementOrder, $retainKeys, $deleteFromPrimitiveList). */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw new PatchError('a strategic merge patch must be a JSON object');
  const merged = mergeObject(isObject(target) ? target : {}, patch);
  if (merged === undefined) throw new PatchError('a strategic merge patch cannot delete the whole object');
  return merged;
}

function mergeObject(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined) throw new PatchError(`unknown patch type "${String(directive)}"`);
  const result = clone(target);
  const orders: [string, unknown[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      if (!Array.isArray(value)) throw new PatchError(`${key} must be a list`);
      orders.push([key.slice('$setElementOrder/'.length), value]);
    } else if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(value) ? value : [];
      if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((v) => !drop.includes(v));
    } else if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      const mergeKey = MERGE_KEYS[key];
      result[key] = mergeKey ? mergeList(asList(result[key]), value, mergeKey) : stripDirectives(value);
    } else if (isObject(value)) {
      const merged = mergeObject(isObject(result[key]) ? (result[key] as Record<string, unknown>) : {}, value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const mergeKey = MERGE_KEYS[field];
    if (mergeKey && Array.isArray(result[field])) result[field] = reorder(result[field] as unknown[], order, mergeKey);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as unknown[]);
    for (const key of Object.keys(result)) if (!keep.has(key) && !(key in patch)) delete result[key];
  }
  return result;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function mergeList(target: unknown[], patch: unknown[], mergeKey: string): unknown[] {
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  const result = clone(target);
  for (const item of patch) {
    if (!isObject(item)) throw new PatchError(`list items merged by "${mergeKey}" must be objects`);
    const key = item[mergeKey];
    if (key === undefined) throw new PatchError(`list item is missing its merge key "${mergeKey}"`);
    const at = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === key);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeObject(result[at] as Record<string, unknown>, item);
      if (merged === undefined) result.splice(at, 1);
      else result[at] = merged;
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

function reorder(list: unknown[], order: unknown[], mergeKey: string): unknown[] {
  const keys = order.map((o) => (isObject(o) ? o[mergeKey] : o));
  const rank = (item: unknown) => {
    const i = keys.indexOf(isObject(item) ? item[mergeKey] : item);
    return i < 0 ? keys.length : i;
  };
  return list
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i)
    .map((e) => e.item);
}

function stripDirectives<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripDirectives) as T;
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out as T;
}
