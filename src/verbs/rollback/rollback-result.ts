import type { Field } from '../../core/message.js';
import type { DeploymentState } from '../shared/kubernetes-ports.js';

/**
 * Where a Kubernetes rollback left the deployment, read back after the rollout.
 * `kubectl rollout undo` copies the restored revision's template in as a new
 * revision (from 7 to the template of 6 gives revision 8), and that new revision is
 * what `kubectl rollout history` shows. The result message shows it in its "To" field;
 * the evidence reads it from the facts (RollbackFacts), never from the message.
 */
export interface ResultingRevision {
  /** Undefined until the deployment controller has numbered the new template. */
  revision?: number;
  images: string[];
}

export function resultingRevision(d: Pick<DeploymentState, 'revision' | 'containers' | 'generation' | 'observedGeneration'>): ResultingRevision {
  // Before the controller observed the change, the revision annotation still names the old template.
  const numbered = d.observedGeneration >= d.generation && d.revision !== undefined;
  return { ...(numbered ? { revision: d.revision } : {}), images: d.containers.map((c) => c.image) };
}

/** `To: revision 8 (ghcr.io/intelgraph/maestro-orchestrator:v2.7.3)`. */
export function resultingField(r: ResultingRevision): Field {
  return { label: 'To', value: `revision ${r.revision ?? '?'} (${r.images.join(', ')})` };
}

/** What a rollback's execute returns beside its message, for its evidence record. */
export interface RollbackFacts {
  via: 'kubernetes' | 'github';
  /** Where the deployment ended, read back once the rollout completed or failed; absent when cancelled or via GitHub. */
  resulting?: ResultingRevision;
  /** The GitHub Actions run of a rollback through cd-rollback.yml. */
  runUrl?: string;
}
