import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../../src/config/catalog.js';

const FILE = 'manifests/alertmanager/receiver.yaml';
const text = readFileSync(FILE, 'utf8');
const config = parse(text) as { route: { routes: { receiver: string; matchers: string[] }[] } };

function amtoolCheck(file: string) {
  const run = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
  expect(run.error, 'amtool not found: apt-get install prometheus-alertmanager').toBeUndefined();
  return run;
}

function catalogNamespaces(): string[] {
  const catalog = loadCatalog('config/catalog.yaml');
  return [...new Set(Object.values(catalog.services).flatMap((s) => Object.values(s.envs).map((e) => e.namespace)))].sort();
}

/** The route's namespace matcher; Alertmanager anchors regex matchers at both ends. */
function namespaceMatcher(): { alternatives: string[]; regex: RegExp } {
  const route = config.route.routes.find((r) => r.receiver === 'maestro-bot')!;
  const matcher = route.matchers.map((m) => /^namespace=~"(.*)"$/.exec(m)).find(Boolean)!;
  return { alternatives: matcher[1]!.split('|').sort(), regex: new RegExp(`^(?:${matcher[1]})$`) };
}

describe('the Alertmanager receiver in manifests/alertmanager', () => {
  it('passes amtool check-config of Alertmanager 0.25 (Debian)', () => {
    const run = amtoolCheck(FILE);
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  });

  it('is checked for real: the same file with 0.28’s webhook timeout fails on 0.25', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'am-')), 'receiver.yaml');
    writeFileSync(file, text.replace('max_alerts: 500', 'max_alerts: 500\n        timeout: 10s'));
    expect(amtoolCheck(file).status).not.toBe(0);
  });

  it('routes every namespace the catalog names, including the NotificationAgent ones', () => {
    const { regex } = namespaceMatcher();
    for (const namespace of catalogNamespaces()) expect(regex.test(namespace), namespace).toBe(true);
    expect(regex.test('agents-prod')).toBe(true);
  });

  it('routes nothing the catalog does not know', () => {
    expect(namespaceMatcher().alternatives).toEqual(catalogNamespaces());
    expect(namespaceMatcher().regex.test('intelgraph-prod-canary')).toBe(false);
  });

  it('states its minimum Alertmanager version', () => {
    expect(text).toMatch(/Minimum version: Alertmanager 0\.\d+/);
  });
});
