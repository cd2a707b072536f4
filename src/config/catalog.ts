import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { type Catalog, CatalogSchema } from './catalog-schema.js';
import { formatIssues } from './issues.js';

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid service catalog ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parseCatalog(text: string, file = '<catalog>'): Catalog {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new CatalogError(file, [`not valid YAML: ${message}`]);
  }
  // With the input on each issue, formatIssues can tell a missing key ("required") from a wrong type.
  const result = CatalogSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new CatalogError(file, formatIssues(result.error.issues));
  return deepFreeze(result.data);
}

export function loadCatalog(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogError(file, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  return parseCatalog(text, file);
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
