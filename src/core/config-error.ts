/**
 * A configuration the operator must fix, listed problem by problem. In a file of its
 * own so that the platforms' env fragments can raise it without importing env.ts,
 * which imports the catalog, whose schema is derived from the platforms.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`configuration error:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
