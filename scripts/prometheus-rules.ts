import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prometheusRuleFile, rulesFile } from '../src/config/alert-rules.js';
import { loadCatalog } from '../src/config/catalog.js';

/**
 * `npm run rules`: writes manifests/prometheus/ from the catalog's alerts.
 * `npm run rules:check`: CI's check that the committed files are what the catalog
 * gives; exits 1 and names each stale file.
 */

const root = new URL('../', import.meta.url);
const at = (path: string) => fileURLToPath(new URL(path, root));

export function renderRuleManifests(catalogFile: string): Record<string, string> {
  const catalog = loadCatalog(catalogFile);
  return {
    'manifests/prometheus/maestro-rules.yaml': rulesFile(catalog),
    'manifests/prometheus/maestro-prometheusrule.yaml': prometheusRuleFile(catalog),
  };
}

/** The files whose committed text differs from what the catalog gives. */
export function staleRuleManifests(catalogFile: string, rootDir: string): string[] {
  return Object.entries(renderRuleManifests(catalogFile))
    .filter(([path, text]) => {
      const file = `${rootDir}/${path}`;
      return !existsSync(file) || readFileSync(file, 'utf8') !== text;
    })
    .map(([path]) => path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const catalogFile = process.env.MAESTRO_CATALOG ?? at('config/catalog.yaml');
  if (values.check) {
    const stale = staleRuleManifests(catalogFile, fileURLToPath(root).replace(/\/$/, ''));
    if (stale.length > 0) {
      process.stderr.write(`out of date with ${catalogFile}: ${stale.join(', ')} (run npm run rules)\n`);
      process.exit(1);
    }
  } else {
    for (const [path, text] of Object.entries(renderRuleManifests(catalogFile))) writeFileSync(at(path), text);
  }
}
