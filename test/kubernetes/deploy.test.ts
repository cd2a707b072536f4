import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { deploy } from '../../src/verbs/deploy/deploy.js';
import { catalog } from '../actions/context.js';
import { type Harness, image, noProgress, ORCHESTRATOR, startHarness } from './sandbox.js';

const args = { service: 'maestro-orchestrator', imageTag: 'v2.8.1' };

async function userErrorOf(call: Promise<unknown>): Promise<UserError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('deploy against the sandbox API server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  it('plans the image change of the catalog container, naming the namespace', async () => {
    const plan = await deploy.plan!(h.ctx(), args);
    expect(plan.summary).toBe(`deploy v2.8.1 to maestro-orchestrator in prod (namespace intelgraph-prod): ${image('v2.8.0')} → ${image('v2.8.1')}`);
    expect(plan.changes).toEqual([{ what: 'image of container maestro-orchestrator', from: image('v2.8.0'), to: image('v2.8.1') }]);
    expect(plan.data).toEqual({ container: 'maestro-orchestrator', fromImage: image('v2.8.0'), toImage: image('v2.8.1'), fromRevision: 7 });
  });

  it('sets the image, follows the rollout to the end, and records who deployed in the rollout history', { timeout: 20_000 }, async () => {
    const ctx = h.ctx();
    const progress: string[] = [];
    const result = await deploy.execute(ctx, args, async (p) => void progress.push(p.label ?? ''), await deploy.plan!(ctx, args));
    expect(result.outcome).toBe('done');
    expect(result.message.title).toBe('Deployed v2.8.1 to maestro-orchestrator in prod');
    const d = await h.k8s.readDeployment(ORCHESTRATOR);
    expect(d.containers.map((c) => c.image)).toEqual([image('v2.8.1')]);
    expect([d.revision, d.ready, d.updated]).toEqual([8, d.desired, d.desired]);
    const latest = (await h.k8s.listRevisions(ORCHESTRATOR)).at(-1)!;
    expect(latest).toMatchObject({ revision: 8, images: [image('v2.8.1')], changeCause: 'maestro-bot deploy v2.8.1 by alice (slack #maestro-pager): error spike after v2.8.0' });
    expect(progress.at(-1)).toBe('rollout complete');
  });

  it('sets the image once when the job runs twice with the same plan', { timeout: 30_000 }, async () => {
    const ctx = h.ctx();
    const plan = await deploy.plan!(ctx, args);
    await deploy.execute(ctx, args, noProgress, plan);
    const again = await deploy.execute(ctx, args, noProgress, plan);
    expect(again.outcome).toBe('done');
    expect(again.message.text).toContain('the image had already been set by an earlier attempt of this job');
    expect((await h.k8s.readDeployment(ORCHESTRATOR)).revision).toBe(8);
  });

  it('refuses to run a plan that another deploy overtook, and changes nothing', { timeout: 20_000 }, async () => {
    const ctx = h.ctx();
    const stale = await deploy.plan!(ctx, args);
    const other = { ...args, imageTag: 'v2.8.2' };
    await deploy.execute(ctx, other, noProgress, await deploy.plan!(ctx, other));
    const before = await h.k8s.readDeployment(ORCHESTRATOR);
    const error = await userErrorOf(deploy.execute(ctx, args, noProgress, stale));
    expect(error.message).toBe(`maestro-orchestrator changed since the deploy was planned (now ${image('v2.8.2')}, planned from ${image('v2.8.0')}); run deploy again to see a fresh plan`);
    expect((await h.k8s.readDeployment(ORCHESTRATOR)).resourceVersion).toBe(before.resourceVersion);
  });

  it('refuses the tag that is already running, and changes nothing', async () => {
    const before = await h.k8s.readDeployment(ORCHESTRATOR);
    const error = await userErrorOf(deploy.plan!(h.ctx(), { ...args, imageTag: 'v2.8.0' }));
    expect(error.message).toBe(`maestro-orchestrator in prod is already running v2.8.0 (${image('v2.8.0')}); nothing to deploy`);
    expect(error.code).toBe('already_running');
    expect((await h.k8s.readDeployment(ORCHESTRATOR)).resourceVersion).toBe(before.resourceVersion);
  });

  it('fails with the reason and a rollback to suggest when the new image never comes up', { timeout: 20_000 }, async () => {
    h.sb.markImageBad(image('v9.9.9'));
    const ctx = h.ctx();
    const bad = { ...args, imageTag: 'v9.9.9' };
    const result = await deploy.execute(ctx, bad, noProgress, await deploy.plan!(ctx, bad));
    expect(result.outcome).toBe('failed');
    expect(result.message.title).toMatch(/^The deploy of v9\.9\.9 to maestro-orchestrator in prod failed: /);
    expect(result.message.fields?.find((f) => f.label === 'Next step')?.value).toMatch(/^roll back: rollback maestro-orchestrator --to-revision \d+/);
  });

  it('refuses a service whose catalog entry names no image repository, and changes nothing', async () => {
    const services = structuredClone(catalog.services);
    delete services['maestro-orchestrator']!.image;
    const before = await h.k8s.readDeployment(ORCHESTRATOR);
    const error = await userErrorOf(deploy.plan!({ ...h.ctx(), catalog: { ...catalog, services } }, args));
    expect(error.message).toBe('maestro-orchestrator has no image repository in the catalog (services.maestro-orchestrator.image); deploy cannot name the image');
    expect((await h.k8s.readDeployment(ORCHESTRATOR)).resourceVersion).toBe(before.resourceVersion);
  });

  it('refuses an unknown service, naming the known ones', async () => {
    const error = await userErrorOf(deploy.plan!(h.ctx(), { ...args, service: 'nope' }));
    expect(error.code).toBe('unknown_service');
    expect(error.message).toContain('known: maestro-orchestrator');
  });
});
