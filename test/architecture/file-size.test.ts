import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../support/source-files.js';

// ARCHITECTURE.md: a file that grows past ~300 lines is asking to be split along a seam.
const LIMIT = 300;

describe('source file size', () => {
  it(`keeps every file under src/ at ${LIMIT} lines or fewer`, () => {
    const long = sourceFiles('src')
      .map((file) => ({ file, lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > LIMIT)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
