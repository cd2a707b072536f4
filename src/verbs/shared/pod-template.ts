import { createHash } from 'node:crypto';
import type { PodTemplate } from './kubernetes-ports.js';

/** The label the deployment controller adds to each ReplicaSet's template; not part of what the user deployed. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** A copy of the template without pod-template-hash, as kubectl's equalIgnoreHash compares them. */
export function withoutHash(template: PodTemplate): PodTemplate {
  const copy = structuredClone(template);
  const labels = copy.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH in labels) {
    delete labels[POD_TEMPLATE_HASH];
  }
  return copy;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      // Absent, null and empty maps mean the same thing to the API server.
      if (v === undefined || v === null) continue;
      if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
      out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/**
 * A stable digest of a template ignoring pod-template-hash: small enough to keep in a
 * plan (job data), and it survives the controller renumbering a revision on rollback.
 */
export function templateFingerprint(template: PodTemplate): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(withoutHash(template))))
    .digest('hex')
    .slice(0, 16);
}

export function sameTemplate(a: PodTemplate, b: PodTemplate): boolean {
  return templateFingerprint(a) === templateFingerprint(b);
}

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export function restartedAt(template: PodTemplate): string | undefined {
  return template.metadata?.annotations?.[RESTARTED_AT];
}
