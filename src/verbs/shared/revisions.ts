import { UserError } from '../../core/errors.js';
import type { RevisionInfo } from './kubernetes-ports.js';

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

/**
 * The rollback worth offering after a change did not hold: the highest revision below
 * `below` whose images are not all among the `failing` ones. A revision with the
 * same image (a restart's new revision, or the one a restart came from) would only
 * restart the pods. Undefined when no earlier revision runs another image.
 */
export function lastRevisionWithOtherImage(
  revisions: readonly RevisionInfo[],
  failing: readonly string[],
  below: number,
): RevisionInfo | undefined {
  const images = new Set(failing);
  return revisions
    .filter((r) => r.revision < below && !r.images.every((i) => images.has(i)))
    .sort((a, b) => b.revision - a.revision)[0];
}
