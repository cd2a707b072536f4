import { UserError } from '../core/errors.js';
import type { RevisionInfo } from './ports.js';

function listed(revisions: readonly RevisionInfo[]): string {
  return revisions
    .map((r) => r.revision)
    .sort((a, b) => a - b)
    .join(', ');
}

/**
 * kubectl rollout undo's choice of revision: the one asked for, or the highest one
 * below the current. Refuses the current revision and revisions that do not exist,
 * naming the ones that do.
 */
export function chooseRollbackTarget(
  deployment: string,
  current: number | undefined,
  revisions: readonly RevisionInfo[],
  toRevision?: number,
): RevisionInfo {
  if (revisions.length === 0) throw new UserError(`${deployment} has no rollout history`, 'no_history');
  if (toRevision !== undefined) {
    if (toRevision === current) {
      throw new UserError(
        `${deployment} is already on revision ${toRevision}; pick another one (revisions: ${listed(revisions)})`,
        'rollback_to_current',
      );
    }
    const found = revisions.find((r) => r.revision === toRevision);
    if (!found) {
      throw new UserError(
        `${deployment} has no revision ${toRevision} (revisions: ${listed(revisions)})`,
        'unknown_revision',
      );
    }
    return found;
  }
  const top = current ?? Math.max(...revisions.map((r) => r.revision));
  const older = revisions.filter((r) => r.revision < top).sort((a, b) => b.revision - a.revision);
  const previous = older[0];
  if (!previous) {
    throw new UserError(
      `${deployment} has no revision before ${top} to roll back to (revisions: ${listed(revisions)})`,
      'no_previous_revision',
    );
  }
  return previous;
}

export function currentRevision(revisions: readonly RevisionInfo[], current?: number): RevisionInfo | undefined {
  if (current !== undefined) return revisions.find((r) => r.revision === current);
  return [...revisions].sort((a, b) => b.revision - a.revision)[0];
}
