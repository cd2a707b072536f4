import { CHANGE_CAUSE_ANNOTATION } from '../../clients/kubernetes/convert.js';
import type { JsonPatchOp } from '../../clients/kubernetes/json-patch.js';
import { UserError } from '../../core/errors.js';
import type { DeploymentReader, DeploymentState, WorkloadRef } from '../shared/kubernetes-ports.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';

export interface ImageWriter {
  /** A JSON Patch of the deployment, applied only to the object at `resourceVersion` when given (409 otherwise). */
  patchDeployment(ref: WorkloadRef, ops: readonly JsonPatchOp[], resourceVersion?: string): Promise<void>;
}

/** Where the named container sits in the template, or a UserError saying the catalog and the cluster disagree. */
export function containerIndex(d: DeploymentState, ref: WorkloadRef, container: string): number {
  const index = d.containers.findIndex((c) => c.name === container);
  if (index < 0) {
    const has = d.containers.map((c) => c.name).join(', ');
    throw new UserError(`${ref.deployment} has no container ${container} (it has: ${has}); the catalog and the cluster disagree`, 'no_container');
  }
  return index;
}

/**
 * What `kubectl set image deployment/<d> <container>=<image>` changes — that one
 * container's image, nothing else of the template — plus the change-cause annotation
 * kubectl's docs have you set with `kubectl annotate`, in the same write.
 */
export function setImagePatch(d: DeploymentState, index: number, image: string, changeCause: string): JsonPatchOp[] {
  return [
    { op: 'replace', path: `/spec/template/spec/containers/${index}/image`, value: image },
    { op: 'replace', path: '/metadata/annotations', value: { ...d.annotations, [CHANGE_CAUSE_ANNOTATION]: changeCause } },
  ];
}

/**
 * Sets the image unless the container already runs it (a retried job changes nothing);
 * a conflict reads the deployment again, so a pause that came in between refuses.
 */
export function setImageOnce(
  k8s: DeploymentReader & ImageWriter,
  ref: WorkloadRef,
  change: { container: string; from: string; image: string; changeCause: string },
): Promise<boolean> {
  return retryOnConflict(async () => {
    const d = await k8s.readDeployment(ref);
    const index = containerIndex(d, ref, change.container);
    const running = d.containers[index]!.image;
    if (running === change.image) return false;
    // Someone else deployed in between: what was confirmed ("from X") no longer describes the change.
    if (running !== change.from) {
      throw new UserError(`${ref.deployment} changed since the deploy was planned (now ${running}, planned from ${change.from}); run deploy again to see a fresh plan`, 'plan_stale');
    }
    if (d.paused) throw new UserError(`${ref.deployment} in ${ref.namespace} is paused; resume it before deploying`, 'paused');
    await k8s.patchDeployment(ref, setImagePatch(d, index, change.image, change.changeCause), d.resourceVersion);
    return true;
  });
}
