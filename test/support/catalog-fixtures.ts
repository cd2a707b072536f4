import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { CatalogError, parseCatalog } from '../../src/config/catalog.js';

export const SHIPPED_CATALOG = 'config/catalog.yaml';

/** The shipped catalog's YAML after `mutate` has changed its parsed form. */
export function shippedWith(mutate: (raw: Record<string, any>) => void): string {
  const raw = parse(readFileSync(SHIPPED_CATALOG, 'utf8'));
  mutate(raw);
  return stringify(raw);
}

/** The problems the loader lists for `text`; fails the test if it accepts it. */
export function problemsOf(text: string): string[] {
  try {
    parseCatalog(text, 'fixture.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as CatalogError).problems;
  }
  throw new Error('expected the catalog to be rejected');
}
