/** One RFC 6902 operation, as much of it as the bot sends: whole values replaced at a path. */
export type JsonPatchOp = { op: 'replace'; path: string; value: unknown };

/**
 * Prepended to a JSON Patch so the API server applies it only to the object as it was
 * read: a patched object whose resourceVersion no longer matches answers 409 Conflict.
 */
export function resourceVersionPrecondition(resourceVersion: string): JsonPatchOp {
  return { op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion };
}
