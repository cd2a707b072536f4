import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * No Docker daemon here: the Dockerfile is checked as text. End-of-life dates of the
 * Node.js release lines: https://nodejs.org/en/about/previous-releases and
 * https://github.com/nodejs/Release (schedule.json).
 */
const LTS_END_OF_LIFE: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

const dockerfile = readFileSync('Dockerfile', 'utf8');
const lines = dockerfile.split('\n').filter((l) => !l.trim().startsWith('#'));
// Continuation lines joined, so each instruction is one line.
const stages = dockerfile.replace(/\\\n\s*/g, ' ').split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;

describe('the Dockerfile', () => {
  it('bases every stage on an exact tag of a Node LTS line still supported today', () => {
    const bases = lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+/)[1]!);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) {
      const match = /^node:(\d+)\.(\d+)\.(\d+)-[a-z]+(-slim)?$/.exec(base);
      expect(match, `${base}: expected node:<major>.<minor>.<patch>-<distro>`).not.toBeNull();
      const endOfLife = LTS_END_OF_LIFE[Number(match![1])];
      expect(endOfLife, `${base}: not an LTS line`).toBeDefined();
      expect(new Date(endOfLife!).getTime(), `${base}: end of life ${endOfLife}`).toBeGreaterThan(Date.now());
    }
  });

  it('has a HEALTHCHECK in the image it ships', () => {
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD /m);
  });

  it('runs the compiled bot with node, never tsx', () => {
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "dist\/main\.js"\]$/m);
    expect(runtime).not.toMatch(/\btsx\b/);
  });

  it('ships production dependencies only, and tsx is not one', () => {
    expect(stages[0]).toContain('npm prune --omit=dev');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.devDependencies)).toContain('tsx');
  });

  it('keeps .env out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toContain('.env');
    expect(ignored).toContain('.env.*');
  });
});
