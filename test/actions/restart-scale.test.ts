import { describe, expect, it } from 'vitest';
import { restart } from '../../src/verbs/restart/restart.js';
import { scale } from '../../src/verbs/scale/scale.js';
import { actionContext, recorder } from './context.js';
import { seededCluster } from './seed.js';

const svc = { service: 'maestro-orchestrator' };

describe('restart', () => {
  it('plans the restartedAt it will set', async () => {
    const plan = await restart.plan!(actionContext(seededCluster()), svc);
    expect(plan.data.restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(plan.changes[0]).toMatchObject({ what: 'template annotation kubectl.kubernetes.io/restartedAt', to: plan.data.restartedAt });
  });

  it('restarts once when the job runs twice with the same plan', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await restart.plan!(ctx, svc);
    const first = (await restart.execute(ctx, svc, recorder().progress, plan)).message;
    await restart.execute(ctx, svc, recorder().progress, plan);
    expect(k8s.changes).toEqual([`restart maestro-orchestrator ${plan.data.restartedAt}`]);
    expect(first.title).toBe('Restarted maestro-orchestrator in prod');
  });

  it('refuses a paused deployment', async () => {
    const k8s = seededCluster();
    k8s.deployments.get('intelgraph-prod/maestro-orchestrator')!.paused = true;
    await expect(restart.plan!(actionContext(k8s), svc)).rejects.toThrow(
      'maestro-orchestrator in intelgraph-prod is paused; resume it before restarting it',
    );
  });

  it('suggests rolling back when the restarted pods crash-loop', async () => {
    const k8s = seededCluster();
    k8s.markImageBad('ghcr.io/intelgraph/maestro-orchestrator:v2.8.0');
    const ctx = actionContext(k8s);
    const message = (await restart.execute(ctx, svc, recorder().progress, await restart.plan!(ctx, svc))).message;
    expect(message.severity).toBe('critical');
    expect(message.fields).toContainEqual({
      label: 'Next step',
      value: 'roll back: rollback maestro-orchestrator --to-revision 6 (ghcr.io/intelgraph/maestro-orchestrator:v2.7.3)',
    });
  });
});

describe('scale', () => {
  it('refuses replicas outside the catalog bounds, naming them', async () => {
    await expect(scale.plan!(actionContext(seededCluster()), { ...svc, replicas: 11 })).rejects.toThrow(
      'maestro-orchestrator in prod may run between 2 and 10 replicas (catalog); 11 is out of range',
    );
  });

  it('uses the bounds of the resolved environment', async () => {
    const k8s = seededCluster();
    await expect(scale.plan!(actionContext(k8s, { env: 'dev' }), { ...svc, replicas: 6 })).rejects.toThrow(/between 1 and 5/);
  });

  it('plans from the current replicas to the requested ones', async () => {
    const plan = await scale.plan!(actionContext(seededCluster()), { ...svc, replicas: 5 });
    expect(plan.changes).toEqual([{ what: 'replicas', from: '3', to: '5' }]);
  });

  it('scales once and waits for the new replicas', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await scale.plan!(ctx, { ...svc, replicas: 5 });
    const message = (await scale.execute(ctx, { ...svc, replicas: 5 }, recorder().progress, plan)).message;
    await scale.execute(ctx, { ...svc, replicas: 5 }, recorder().progress, plan);
    expect(k8s.changes).toEqual(['scale maestro-orchestrator 5']);
    expect(message.text).toBe('3 → 5 replicas; 5/5 ready.');
  });
});
