import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Debian's `prometheus` package ships promtool; .ci/run installs it, so CI never skips these.
const promtool = spawnSync('promtool', ['--version']).status === 0;

describe.runIf(promtool || process.env.CI)('promtool on manifests/prometheus', () => {
  it('finds the rules file valid', () => {
    const out = execFileSync('promtool', ['check', 'rules', 'manifests/prometheus/maestro-rules.yaml'], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes the unit tests: each alert fires past its runbook threshold after its `for`, and not just short of it', { timeout: 60_000 }, () => {
    const run = spawnSync('promtool', ['test', 'rules', 'manifests/prometheus/maestro-rules.test.yaml'], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });
});
