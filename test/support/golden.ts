import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/**
 * Compares `value` with the golden JSON file. Only `UPDATE_GOLDEN=1` writes goldens
 * (`UPDATE_GOLDEN=1 npx vitest run <test file>`, then review the diff): a missing
 * golden fails, so a renamed card or a typo in its name cannot pass by writing the
 * file it was meant to be compared with. `.ci/run` refuses to run with UPDATE_GOLDEN set.
 */
export function expectGolden(file: string, value: unknown, update = process.env.UPDATE_GOLDEN === '1'): void {
  const rendered = `${JSON.stringify(value, null, 2)}\n`;
  if (update) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, rendered);
  }
  if (!existsSync(file)) {
    throw new Error(`no golden file ${file}: write it with UPDATE_GOLDEN=1 and review it before committing`);
  }
  expect(value).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
