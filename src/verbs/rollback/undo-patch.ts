import { CHANGE_CAUSE_ANNOTATION } from '../../clients/kubernetes/convert.js';
import type { JsonPatchOp } from '../../clients/kubernetes/json-patch.js';
import type { PodTemplate } from '../shared/kubernetes-ports.js';
import { withoutHash } from '../shared/pod-template.js';

/** kubectl's annotationsToSkip: the deployment keeps its own values of these; the ReplicaSet's are not copied. */
const DEPLOYMENT_OWN_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/**
 * The JSON Patch kubectl rollout undo sends: the ReplicaSet's template without
 * pod-template-hash, and annotations that keep the deployment's own while taking the
 * ReplicaSet's others, with a change-cause saying who rolled back, from where and why.
 */
export function undoPatch(
  deploymentAnnotations: Record<string, string> | undefined,
  replicaSetAnnotations: Record<string, string> | undefined,
  template: PodTemplate,
  changeCause: string,
): JsonPatchOp[] {
  const annotations: Record<string, string> = { ...deploymentAnnotations };
  for (const [key, value] of Object.entries(replicaSetAnnotations ?? {})) {
    if (!DEPLOYMENT_OWN_ANNOTATIONS.has(key)) annotations[key] = value;
  }
  annotations[CHANGE_CAUSE_ANNOTATION] = changeCause;
  return [
    { op: 'replace', path: '/spec/template', value: withoutHash(template) },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}
