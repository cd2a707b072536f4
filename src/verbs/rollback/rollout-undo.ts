import type { JsonPatchOp } from '../../clients/kubernetes/json-patch.js';
import { UserError } from '../../core/errors.js';
import type { DeploymentReader, RevisionReader, WorkloadRef } from '../shared/kubernetes-ports.js';
import { sameTemplate } from '../shared/pod-template.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { chooseRollbackTarget } from '../shared/revisions.js';
import { undoPatch } from './undo-patch.js';

export interface RollbackWriter {
  /** A JSON Patch of the deployment, applied only to the object at `resourceVersion` when given (409 otherwise). */
  patchDeployment(ref: WorkloadRef, ops: readonly JsonPatchOp[], resourceVersion?: string): Promise<void>;
}

export interface RollbackOutcome {
  /** False when the deployment already ran the target template (kubectl: "skipped rollback"). */
  applied: boolean;
  from?: number;
  to: number;
}

/**
 * `kubectl rollout undo [--to-revision N]`: refuses a paused deployment, the current
 * revision and revisions that do not exist; copies the ReplicaSet's template in. The
 * patch carries the resourceVersion it was decided on, so a deployment that changed
 * in between is read and decided on again rather than overwritten.
 */
export function rolloutUndo(
  k8s: DeploymentReader & RevisionReader & RollbackWriter,
  ref: WorkloadRef,
  options: { toRevision?: number; changeCause: string },
): Promise<RollbackOutcome> {
  return retryOnConflict(async () => {
    const d = await k8s.readDeployment(ref);
    if (d.paused) {
      throw new UserError(`${ref.deployment} in ${ref.namespace} is paused; resume it before rolling back`, 'paused');
    }
    const target = chooseRollbackTarget(ref.deployment, d.revision, await k8s.listRevisions(ref), options.toRevision);
    if (sameTemplate(target.template, d.template)) return { applied: false, from: d.revision, to: target.revision };
    const ops: JsonPatchOp[] = undoPatch(d.annotations, target.annotations, target.template, options.changeCause);
    await k8s.patchDeployment(ref, ops, d.resourceVersion);
    return { applied: true, from: d.revision, to: target.revision };
  });
}
