import type { Field, Message } from '../../core/message.js';
import type { DeploymentState } from '../shared/kubernetes-ports.js';

/**
 * Where a Kubernetes rollback left the deployment, read back after the rollout.
 * `kubectl rollout undo` copies the restored revision's template in as a new
 * revision (from 7 to the template of 6 gives revision 8), and that new revision is
 * what `kubectl rollout history` shows. The result message carries it in its "To"
 * field, for people and for the evidence hook (resultingRevisionOf) alike.
 */
export interface ResultingRevision {
  /** Undefined until the deployment controller has numbered the new template. */
  revision?: number;
  images: string[];
}

const TO = 'To';

export function resultingRevision(d: Pick<DeploymentState, 'revision' | 'containers' | 'generation' | 'observedGeneration'>): ResultingRevision {
  // Before the controller observed the change, the revision annotation still names the old template.
  const numbered = d.observedGeneration >= d.generation && d.revision !== undefined;
  return { ...(numbered ? { revision: d.revision } : {}), images: d.containers.map((c) => c.image) };
}

/** `To: revision 8 (ghcr.io/intelgraph/maestro-orchestrator:v2.7.3)`. */
export function resultingField(r: ResultingRevision): Field {
  return { label: TO, value: `revision ${r.revision ?? '?'} (${r.images.join(', ')})` };
}

/** The read-back a rollback's result message carries, or undefined when it carries none (GitHub Actions). */
export function resultingRevisionOf(result: Message): ResultingRevision | undefined {
  const value = result.fields?.find((f) => f.label === TO)?.value;
  const match = value === undefined ? null : /^revision (\d+|\?) \((.*)\)$/.exec(value);
  if (!match) return undefined;
  const images = match[2] ? match[2].split(', ') : [];
  return match[1] === '?' ? { images } : { revision: Number(match[1]), images };
}
