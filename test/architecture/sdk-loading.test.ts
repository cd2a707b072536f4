import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Every bot reads the platform descriptors at start-up (env, catalog schema, policy); a
 * platform's SDK is loaded by its `load()` only when it is configured. An SDK imported by a
 * descriptor costs every console and single-platform bot its start-up time and memory (the
 * Agents SDK brings MSAL). Checked in a fresh process: what importing the descriptors loads.
 */
describe('platform SDKs', () => {
  it('are not loaded by importing the platform descriptors, the catalog and the env schema', async () => {
    const script = `
      import { createRequire } from 'node:module';
      await import('./src/platforms/index.ts');
      await import('./src/config/catalog.ts');
      await import('./src/config/env.ts');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((path) => /node_modules\\/(@microsoft\\/agents-|@slack\\/bolt|@azure\\/msal)/.test(path))));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual([]);
  }, 60_000);
});
