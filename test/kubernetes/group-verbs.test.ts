import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/message.js';
import { UserError } from '../../src/core/errors.js';
import { restart } from '../../src/verbs/restart/restart.js';
import { scale } from '../../src/verbs/scale/scale.js';
import { catalog } from '../actions/context.js';
import { type Harness, noProgress, startHarness } from './sandbox.js';

// The shipped `agents` group has one deployment; these tests need two to see "each exactly once" and the order.
const withGroup = { ...catalog, groups: { ...catalog.groups, ai: ['notification-agent', 'victor-coordinators'] } };
const AGENT = { namespace: 'agents-prod', deployment: 'notification-agent' };
const VICTOR = { namespace: 'intelgraph-prod', deployment: 'victor-coordinators' };

async function userErrorOf(call: Promise<unknown>): Promise<UserError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('restart --all and scale --all against the sandbox API server', () => {
  let h: Harness;
  const ctx = () => ({ ...h.ctx(), catalog: withGroup });
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  it('plans restart --all as one change listing every deployment of the group with its namespace', async () => {
    const plan = await restart.plan!(ctx(), { all: 'ai' });
    expect(plan.target).toEqual({ service: 'ai', env: 'prod', namespace: 'agents-prod, intelgraph-prod', resource: 'deployment/notification-agent, deployment/victor-coordinators' });
    expect(plan.changes.map((c) => c.what)).toEqual([
      'agents-prod/deployment/notification-agent template annotation kubectl.kubernetes.io/restartedAt',
      'intelgraph-prod/deployment/victor-coordinators template annotation kubectl.kubernetes.io/restartedAt',
    ]);
    expect(plan.summary).toMatch(/^restart all of ai in prod, one deployment after the other: notification-agent \(agents-prod, 3 pods\), victor-coordinators \(intelgraph-prod, \d+ pods\)$/);
  });

  it('restarts each deployment of the group in turn, reporting progress per deployment', { timeout: 30_000 }, async () => {
    const c = ctx();
    const seen: Progress[] = [];
    const before = await Promise.all([h.k8s.readDeployment(AGENT), h.k8s.readDeployment(VICTOR)]);
    const result = await restart.execute(c, { all: 'ai' }, async (p) => void seen.push(p), await restart.plan!(c, { all: 'ai' }));
    expect(result.outcome).toBe('done');
    expect(result.message.title).toBe('Restarted all of ai in prod');
    const after = await Promise.all([h.k8s.readDeployment(AGENT), h.k8s.readDeployment(VICTOR)]);
    expect(after.map((d) => d.revision)).toEqual(before.map((d) => d.revision! + 1));
    expect(seen.some((p) => p.label?.startsWith('1/2 notification-agent: '))).toBe(true);
    expect(seen.some((p) => p.label?.startsWith('2/2 victor-coordinators: '))).toBe(true);
    expect(seen.at(-1)).toEqual({ done: 2, total: 2, label: 'victor-coordinators restarted' });
  });

  it('restarts each deployment exactly once when the job runs again with the same plan', { timeout: 30_000 }, async () => {
    const c = ctx();
    const plan = await restart.plan!(c, { all: 'ai' });
    const before = await Promise.all([h.k8s.readDeployment(AGENT), h.k8s.readDeployment(VICTOR)]);
    await restart.execute(c, { all: 'ai' }, noProgress, plan);
    const again = await restart.execute(c, { all: 'ai' }, noProgress, plan);
    expect(again.outcome).toBe('done');
    expect(again.message.fields?.map((f) => f.value).every((v) => v.endsWith('(already restarted)'))).toBe(true);
    const after = await Promise.all([h.k8s.readDeployment(AGENT), h.k8s.readDeployment(VICTOR)]);
    expect(after.map((d) => d.revision)).toEqual(before.map((d) => d.revision! + 1));
  });

  it('scales every deployment of the group to the number, each once on a retry', { timeout: 30_000 }, async () => {
    const c = ctx();
    const args = { all: 'ai', replicas: 4 };
    const plan = await scale.plan!(c, args);
    expect(plan.changes.map((ch) => [ch.what, ch.to])).toEqual([
      ['agents-prod/deployment/notification-agent replicas', '4'],
      ['intelgraph-prod/deployment/victor-coordinators replicas', '4'],
    ]);
    const result = await scale.execute(c, args, noProgress, plan);
    expect(result.outcome).toBe('done');
    expect([await h.k8s.readScale(AGENT), await h.k8s.readScale(VICTOR)]).toEqual([4, 4]);
    const again = await scale.execute(c, args, noProgress, plan);
    expect(again.message.fields?.map((f) => f.value).every((v) => v.endsWith('(already there)'))).toBe(true);
  });

  it('refuses scale --all when one deployment of the group would leave its bounds, and scales none', async () => {
    const before = await h.k8s.readScale(VICTOR);
    const error = await userErrorOf(scale.plan!(ctx(), { all: 'ai', replicas: 12 }));
    expect(error.message).toBe('victor-coordinators in prod may run between 1 and 8 replicas (catalog); 12 is out of range');
    expect(await h.k8s.readScale(AGENT)).toBe(3);
    expect(await h.k8s.readScale(VICTOR)).toBe(before);
  });

  it('refuses an unknown group, listing the groups, and changes nothing', async () => {
    const error = await userErrorOf(restart.plan!(ctx(), { all: 'agentz' }));
    expect(error.message).toBe("unknown group 'agentz' (groups: agents, ai)");
    expect(error.code).toBe('unknown_group');
    const scaleError = await userErrorOf(scale.plan!(ctx(), { all: 'agentz', replicas: 3 }));
    expect(scaleError.message).toBe("unknown group 'agentz' (groups: agents, ai)");
  });
});
