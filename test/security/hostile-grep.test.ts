import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logs } from '../../src/verbs/logs/logs.js';
import { createHttpApp, listen } from '../../src/http/server.js';
import { Metrics } from '../../src/core/metrics.js';
import { MAX_PATTERN_LENGTH } from '../../src/core/user-pattern.js';
import { actionContext, recorder } from '../actions/context.js';
import { seededCluster } from '../actions/seed.js';

const svc = { service: 'maestro-orchestrator', since: '10m' };
const noProgress = recorder().progress;
/** The pattern from the report: exponential for a backtracking engine on any line without "zzz". */
const EVIL = '(.*.*)*zzz';

let health: { url: string; close(): Promise<void> };
beforeAll(async () => {
  const app = createHttpApp({ metrics: new Metrics(), readiness: [], log: pino({ level: 'silent' }) });
  const { server, url } = await listen(app, 0, '127.0.0.1');
  health = { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
});
afterAll(() => health.close());

/** Every pod of the service with `lines` log lines of `width` characters that the evil pattern cannot match. */
async function clusterWithLongLogs(lines: number, width: number) {
  const k8s = seededCluster();
  const text = Array.from({ length: lines }, (_, i) => `${i} ${'a'.repeat(width)}`).join('\n');
  for (const pod of await k8s.listPods('intelgraph-prod', 'app=maestro-orchestrator')) k8s.logs.set(pod.name, text);
  return k8s;
}

describe('a hostile --grep pattern', () => {
  it('is matched in linear time while /health/live keeps answering', { timeout: 15_000 }, async () => {
    const k8s = await clusterWithLongLogs(500, 5_000);
    let slowestProbe = 0;
    let done = false;
    const probing = (async () => {
      while (!done) {
        const started = performance.now();
        const res = await fetch(`${health.url}/health/live`);
        expect(res.status).toBe(200);
        slowestProbe = Math.max(slowestProbe, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = performance.now();
    const message = (await logs.execute(actionContext(k8s), { ...svc, grep: EVIL }, noProgress)).message;
    const took = performance.now() - started;
    done = true;
    await probing;
    expect(message.text).toMatch(/^No log lines matching/);
    expect(took).toBeLessThan(5_000);
    expect(slowestProbe).toBeLessThan(1_000);
  });

  it('still finds what it should, case-insensitively', async () => {
    const k8s = seededCluster();
    const pod = (await k8s.listPods('intelgraph-prod', 'app=maestro-orchestrator'))[0]!.name;
    k8s.logs.set(pod, 'INFO ok\nERROR boom zzz\n');
    const message = (await logs.execute(actionContext(k8s), { ...svc, grep: EVIL.toUpperCase() }, noProgress)).message;
    expect(message.code).toBe(`${pod}: ERROR boom zzz`);
  });

  it('refuses a lookahead with a clear error, since the linear-time engine has none', async () => {
    await expect(logs.execute(actionContext(seededCluster()), { ...svc, grep: '(?=a)b' }, noProgress)).rejects.toThrow(
      /--grep '\(\?=a\)b' is not a valid regular expression \(RE2 syntax: no lookarounds or backreferences\)/,
    );
  });

  it('refuses a pattern over the length limit, saying the limit', async () => {
    const long = 'a'.repeat(MAX_PATTERN_LENGTH + 1);
    await expect(logs.execute(actionContext(seededCluster()), { ...svc, grep: long }, noProgress)).rejects.toThrow(
      `--grep is ${MAX_PATTERN_LENGTH + 1} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
    );
  });
});
