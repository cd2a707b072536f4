import { createHash } from 'node:crypto';
import { canonical, clone } from './json.js';
import type { KObject, PodTemplate } from './types.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const HASH_LABEL = 'pod-template-hash';

/** Template without the pod-template-hash label: how the controller decides two templates are the same. */
export function templateKey(template: PodTemplate): string {
  const t = clone(template);
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH_LABEL];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return canonical(prune(t));
}

/** Go's encoder writes `creationTimestamp: null` and empty structs; they mean the same as absent. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = prune(v);
    if (p === null || p === undefined) continue;
    if (typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    if (Array.isArray(p) && p.length === 0) continue;
    out[k] = p;
  }
  return out;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A short hash in the alphabet Kubernetes uses for generated names (no vowels, no look-alikes). */
export function templateHash(template: PodTemplate): string {
  const digest = createHash('sha256').update(templateKey(template)).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += SAFE[digest[i]! % SAFE.length];
  return out;
}

export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE[Math.floor(Math.random() * SAFE.length)];
  return out;
}

export function revisionOf(obj: KObject): number {
  const n = Number(obj.metadata.annotations?.[REVISION] ?? '0');
  return Number.isFinite(n) ? n : 0;
}

export function isControlledBy(obj: KObject, owner: KObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === owner.metadata.uid);
}

export function controllerRef(owner: KObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
