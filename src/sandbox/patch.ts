import { clone, isObject } from './json.js';

/** A patch that cannot be applied to the object; the server answers 422. */
export class PatchError extends Error {}

/** RFC 7386 JSON Merge Patch. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** RFC 6902 JSON Patch; all operations apply or none. */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = clone(target);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new PatchError(`invalid JSON patch operation: ${JSON.stringify(raw)}`);
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case 'add':
        requireValue(op);
        doc = put(doc, op.path, clone(op.value), 'add');
        break;
      case 'replace':
        requireValue(op);
        doc = put(doc, op.path, clone(op.value), 'replace');
        break;
      case 'remove':
        doc = remove(doc, op.path).doc;
        break;
      case 'move': {
        const { doc: without, value } = remove(doc, from(op));
        doc = put(without, op.path, value, 'add');
        break;
      }
      case 'copy':
        doc = put(doc, op.path, clone(read(doc, from(op))), 'add');
        break;
      case 'test':
        requireValue(op);
        if (JSON.stringify(read(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchError(`testing value ${op.path} failed`);
        }
        break;
      default:
        throw new PatchError(`unexpected JSON patch operation "${op.op}"`);
    }
  }
  return doc;
}

function requireValue(op: Operation): void {
  if (!('value' in op)) throw new PatchError(`operation "${op.op}" on ${op.path} needs a value`);
}

function from(op: Operation): string {
  if (typeof op.from !== 'string') throw new PatchError(`operation "${op.op}" needs "from"`);
  return op.from;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function read(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of pointer(path)) {
    if (Array.isArray(cur)) cur = cur[index(cur, part, false)];
    else if (isObject(cur) && Object.hasOwn(cur, part)) cur = cur[part];
    else throw new PatchError(`path ${path} does not exist`);
  }
  return cur;
}

function index(arr: unknown[], part: string, forInsert: boolean): number {
  if (forInsert && part === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(part)) throw new PatchError(`invalid array index "${part}"`);
  const i = Number(part);
  if (i > arr.length || (!forInsert && i === arr.length)) throw new PatchError(`array index ${i} out of bounds`);
  return i;
}

function parentOf(doc: unknown, path: string): { parent: unknown; last: string } {
  const parts = pointer(path);
  const last = parts.pop();
  if (last === undefined) return { parent: undefined, last: '' };
  const prefix = parts.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  return { parent: read(doc, prefix), last };
}

function put(doc: unknown, path: string, value: unknown, mode: 'add' | 'replace'): unknown {
  if (path === '') return value;
  const { parent, last } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const i = index(parent, last, mode === 'add');
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (isObject(parent)) {
    if (mode === 'replace' && !Object.hasOwn(parent, last)) throw new PatchError(`path ${path} does not exist`);
    parent[last] = value;
  } else throw new PatchError(`path ${path} does not exist`);
  return doc;
}

function remove(doc: unknown, path: string): { doc: unknown; value: unknown } {
  const { parent, last } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const i = index(parent, last, false);
    const [value] = parent.splice(i, 1);
    return { doc, value };
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const value = parent[last];
    delete parent[last];
    return { doc, value };
  }
  throw new PatchError(`path ${path} does not exist`);
}
