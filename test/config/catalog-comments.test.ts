import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPair, parseDocument, visit } from 'yaml';
import { loadCatalog } from '../../src/config/catalog.js';
import { SHIPPED_CATALOG } from '../support/catalog-fixtures.js';

/**
 * YAML ends a plain scalar at ` #`: `description: … or #maestro-pager` loads as "… or",
 * and the rest becomes a comment. Every end-of-line comment the shipped catalog has
 * sits on a line of its own or after a key, never after a value, so any value that
 * carries one has lost text.
 */
describe('the shipped catalog as YAML', () => {
  it('has no value cut short by an unquoted " #"', () => {
    const doc = parseDocument(readFileSync(SHIPPED_CATALOG, 'utf8'));
    const cut: string[] = [];
    visit(doc, {
      Scalar(_key, node, path) {
        if (!node.comment) return;
        const where = path.filter(isPair).map((pair) => String(pair.key)).join('.');
        cut.push(`${where}: "${String(node.value)}" lost "#${node.comment}"`);
      },
    });
    expect(cut).toEqual([]);
  });

  it('gives the prod channel rule its whole description, channel name included', () => {
    const rule = loadCatalog(SHIPPED_CATALOG).policy.rules.find((r) => r.name === 'prod-from-incident-channels');
    expect(rule?.description).toBe("prod is changed only from the service's incident channels or #maestro-pager");
  });
});
