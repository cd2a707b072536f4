import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../../clients/kubernetes/errors.js';
import { UserError } from '../../core/errors.js';

export const CONFLICT_ATTEMPTS = 5;

/**
 * Runs a verb's read-decide-write until it does not conflict: `attempt` must read
 * afresh each time and decide again on what it read, so a retry applies the change
 * (or refuses it) against what is there now, not against what was there before.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = CONFLICT_ATTEMPTS): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (i >= attempts) {
        throw new UserError(
          `the object kept changing under the bot (${attempts} conflicts in a row); try again in a moment`,
          'kubernetes_conflict',
        );
      }
      await sleep(20 * i);
    }
  }
}
