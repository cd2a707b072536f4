import type { Plan } from '../../core/action.js';
import type { VerbEvidence } from '../../core/evidence-record.js';
import type { AnyRollbackPlanData } from './rollback.js';
import type { RollbackFacts } from './rollback-result.js';

function change(plan: Plan, what: string): { from: string; to: string } | undefined {
  const c = plan.changes.find((x) => x.what === what);
  return c ? { from: c.from, to: c.to } : undefined;
}

/**
 * The rollback's part of its evidence record: from and restored revision from its
 * plan, the resulting revision and image from what execute read back (its facts,
 * present once the rollout completed or failed), the run of a GitHub rollback.
 */
export function rollbackEvidence(plan: Plan<AnyRollbackPlanData>, facts: RollbackFacts | undefined): VerbEvidence {
  const via = plan.data.via === 'github' ? 'github' : 'kubernetes';
  const revisionChange = change(plan, 'revision');
  const imageChange = change(plan, 'image') ?? change(plan, 'image tag');
  const resulting = via === 'kubernetes' ? facts?.resulting : undefined;
  const revision = revisionChange
    ? {
        from: revisionChange.from,
        restored: revisionChange.to,
        ...(resulting?.revision === undefined ? {} : { resulting: String(resulting.revision) }),
      }
    : undefined;
  const image = imageChange
    ? { from: imageChange.from, to: resulting && resulting.images.length > 0 ? resulting.images.join(', ') : imageChange.to }
    : undefined;
  return {
    via,
    ...(revision ? { revision } : {}),
    ...(image ? { image } : {}),
    ...(facts?.runUrl ? { runUrl: facts.runUrl } : {}),
  };
}
