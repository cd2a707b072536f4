import type { Actor } from './request.js';

/**
 * The user groups an actor belongs to, as far as the platform could tell. `failure`
 * says why some could not be looked up: those groups grant no role, and a refusal
 * says so, so that nobody mistakes an outage for a missing permission.
 */
export interface GroupLookup {
  groups: readonly string[];
  failure?: string;
}

export type GroupsOf = (actor: Actor) => Promise<GroupLookup>;

export const NO_GROUPS: GroupLookup = { groups: [] };

/** `text`, followed by why group roles could not be granted when the lookup failed. */
export function withLookupFailure(text: string, lookup: GroupLookup): string {
  return lookup.failure ? `${text} (${lookup.failure})` : text;
}
