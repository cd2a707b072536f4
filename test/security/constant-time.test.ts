import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every source file that handles a request (the sandbox is a simulated cluster, not a trust boundary). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith('sandbox') ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

// `x === signature`, `token !== expected`, `secret == y`: an early-exit comparison leaks, byte by byte, how much matched.
const SECRET_COMPARISON = /(signature|secret|token|hmac|digest|password|apikey)[\w.\])]*\s*[!=]==?[^=>]|[!=]==?\s*[\w.]*(signature|secret|token|hmac|digest|password|apikey)/i;

describe('secrets are compared in constant time', () => {
  it('no source file compares a signature, token or secret with == or ===', () => {
    const offenders: string[] = [];
    for (const file of sources('src')) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (SECRET_COMPARISON.test(line) && !/typeof|\.length|=== undefined|!== undefined|=== ''/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('leaves Slack signature checking to Bolt, which compares with tsscmp (constant time)', () => {
    const receiver = readFileSync('src/platforms/slack/receiver.ts', 'utf8');
    expect(receiver).toContain('signingSecret: options.signingSecret');
    const bolt = readFileSync('node_modules/@slack/bolt/dist/receivers/ExpressReceiver.js', 'utf8');
    expect(bolt).toMatch(/tsscmp_1\.default\)\(hash, hmac\.digest\('hex'\)\)/);
  });
});
