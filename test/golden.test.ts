import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden } from './support/golden.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'golden-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('golden files', () => {
  it('fails on a missing golden and writes nothing', () => {
    const file = join(dir, 'card.golden.json');
    expect(() => expectGolden(file, { a: 1 }, false)).toThrow(/no golden file .*card\.golden\.json: write it with UPDATE_GOLDEN=1/);
    expect(existsSync(file)).toBe(false);
  });

  it('fails when the value differs from its golden, and leaves the golden as it was', () => {
    const file = join(dir, 'card.golden.json');
    writeFileSync(file, '{ "a": 1 }\n');
    expect(() => expectGolden(file, { a: 2 }, false)).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('{ "a": 1 }\n');
  });

  it('writes the golden only when asked to update', () => {
    const file = join(dir, 'sub', 'card.golden.json');
    expectGolden(file, { a: 2 }, true);
    expect(readFileSync(file, 'utf8')).toBe('{\n  "a": 2\n}\n');
  });

  it('makes .ci/run fail at once when UPDATE_GOLDEN is set', () => {
    const script = fileURLToPath(new URL('../.ci/run', import.meta.url));
    const run = spawnSync('bash', [script], { env: { ...process.env, UPDATE_GOLDEN: '1' }, encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('UPDATE_GOLDEN is set');
    expect(run.stdout).not.toContain('== ');
  });
});
