import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/config/catalog.js';
import { parseCommand } from '../../../src/core/grammar.js';
import { ActionRegistry } from '../../../src/core/registry.js';
import { logs } from '../../../src/verbs/logs/logs.js';
import { type Harness, noProgress, startHarness } from '../../kubernetes/sandbox.js';

const PROD = 'intelgraph-prod';
const SELECTOR = 'app=maestro-orchestrator';
const svc = { service: 'maestro-orchestrator' };

const catalog = loadCatalog('config/catalog.yaml');
const parse = (text: string) => parseCommand(text, { registry: new ActionRegistry([logs]), catalog });

/** The sandbox's application lines start with the moment they were written (the same as the kubelet's). */
const writtenAt = (line: string) => /(\d{4}-\d{2}-\d{2}T[\d:.]+Z)/.exec(line)?.[1];

describe('logs flags, against the sandbox over the real client', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  it('--tail N shows the last N lines of all pods merged', { timeout: 15_000 }, async () => {
    const result = await logs.execute(h.ctx(), { ...svc, tail: 7 }, noProgress);
    expect(result.message.code!.split('\n')).toHaveLength(7);
    expect(result.message.text).toMatch(/^7 lines from \d+ pods, last 10m; secrets redacted\.$/);
  });

  it('merges the pods by the time each line was written, each line prefixed with its pod', { timeout: 15_000 }, async () => {
    const pods = (await h.k8s.listPods(PROD, SELECTOR)).map((p) => p.name);
    expect(pods.length).toBeGreaterThan(1);
    // Only the lines that carry their own time (a stack trace's lines do not).
    const result = await logs.execute(h.ctx(), { ...svc, tail: 60, grep: '\\[maestro-orchestrator\\]' }, noProgress);
    const lines = result.message.code!.split('\n');
    const seenPods = new Set(lines.map((l) => l.split(': ')[0]));
    expect([...seenPods].sort()).toEqual([...pods].sort());
    const times = lines.map(writtenAt);
    expect(times.every(Boolean)).toBe(true);
    expect(times).toEqual([...times].sort());
  });

  it('--pod reads that pod only, its lines without a prefix', { timeout: 15_000 }, async () => {
    const [, second] = await h.k8s.listPods(PROD, SELECTOR);
    const result = await logs.execute(h.ctx(), { ...svc, pod: second!.name, tail: 5 }, noProgress);
    expect(result.message.text).toBe(`5 lines from pod ${second!.name}, last 10m; secrets redacted.`);
    expect(result.message.code!.split('\n').filter((l) => l.startsWith('maestro-orchestrator-'))).toEqual([]);
  });

  it('refuses a --pod that is not one of the service\'s pods, naming those that are', { timeout: 15_000 }, async () => {
    const pods = (await h.k8s.listPods(PROD, SELECTOR)).map((p) => p.name);
    await expect(logs.execute(h.ctx(), { ...svc, pod: 'victor-coordinators-abc' }, noProgress)).rejects.toThrow(
      `pod victor-coordinators-abc is not one of maestro-orchestrator's pods in prod: ${pods.join(', ')}`,
    );
  });

  it('--previous shows the OOM-killed run of the restarted pod only, the current run starting afresh', { timeout: 15_000 }, async () => {
    const [first] = await h.k8s.listPods(PROD, SELECTOR);
    const killedAt = new Date(Date.now() + 1000).toISOString();
    h.sb.oomKill(PROD, first!.name);
    const previous = await logs.execute(h.ctx(), { ...svc, previous: true, grep: '\\[maestro-orchestrator\\]' }, noProgress);
    expect(previous.message.text).toMatch(/^\d+ lines of the previous run matching \/.+\/ from pod /);
    expect(previous.message.text).toContain(`from pod ${first!.name}, whole run; secrets redacted.`);
    const times = (previous.output?.lines ?? previous.message.code!.split('\n')).map(writtenAt);
    expect(times.every((t) => t !== undefined && t <= killedAt)).toBe(true);
    const current = await logs.execute(h.ctx(), { ...svc, pod: first!.name }, noProgress);
    expect(current.message.code!.split('\n')[0]).toMatch(/INFO {2}\[maestro-orchestrator\] starting maestro-orchestrator version=/);
  });

  it('--previous on a pod that never restarted says there is no previous run', { timeout: 15_000 }, async () => {
    const [first] = await h.k8s.listPods(PROD, SELECTOR);
    await expect(logs.execute(h.ctx(), { ...svc, pod: first!.name, previous: true }, noProgress)).rejects.toThrow(
      `pod ${first!.name} has not restarted, so it has no previous run to show; without --previous you get its current logs`,
    );
  });

  it('--previous with no restarted pod at all answers so, as an answer rather than an error', { timeout: 15_000 }, async () => {
    const result = await logs.execute(h.ctx(), { ...svc, previous: true }, noProgress);
    expect(result.outcome).toBe('done');
    expect(result.message.text).toBe(
      'No pod of maestro-orchestrator in prod has restarted, so there is no previous run to show; without --previous you get the current logs.',
    );
  });

  it('carries the whole output when it is longer than a message holds', { timeout: 15_000 }, async () => {
    const result = await logs.execute(h.ctx(), { ...svc, tail: 400 }, noProgress);
    expect(result.output!.lines).toHaveLength(400);
    expect(result.output!.filename).toBe('maestro-orchestrator-prod.log');
    expect(result.output!.footer).toBe('All 400 lines are in maestro-orchestrator-prod.log.');
    expect(result.message.code!.length).toBeLessThanOrEqual(2500);
    expect(result.output!.lines.at(-1)).toBe(result.message.code!.split('\n').at(-1));
  });

  it('carries nothing extra when the message holds it all', { timeout: 15_000 }, async () => {
    const result = await logs.execute(h.ctx(), { ...svc, tail: 3 }, noProgress);
    expect(result.output).toBeUndefined();
  });
});

describe('bad input to logs gets a clear one-line error', () => {
  it.each([
    ['logs maestro-orchestrator --tail 0', "--tail must be at least 1, got '0' — see 'help logs'"],
    ['logs maestro-orchestrator --tail 1e9', "--tail must be a whole number, got '1e9' — see 'help logs'"],
    ['logs maestro-orchestrator --tail 1000000000', "--tail must be at most 5000, got '1000000000' — see 'help logs'"],
    ['logs maestro-orchestrator --pod Bad_Name', "--pod must be a pod name (lowercase letters, digits, - and .), got 'Bad_Name' — see 'help logs'"],
  ])('%s', (text, error) => {
    expect(() => parse(text)).toThrow(error);
  });

  it('reads --previous as a switch and --tail as a number', () => {
    expect(parse('logs maestro-orchestrator --previous --tail 200 --pod maestro-orchestrator-abc').args).toEqual({
      service: 'maestro-orchestrator',
      previous: true,
      tail: 200,
      pod: 'maestro-orchestrator-abc',
    });
  });
});
