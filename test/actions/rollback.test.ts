import { describe, expect, it } from 'vitest';
import { rollback } from '../../src/verbs/rollback/rollback.js';
import { ConflictError } from '../../src/clients/kubernetes/errors.js';
import { UserError } from '../../src/core/errors.js';
import { rolloutUndo } from '../../src/verbs/rollback/rollout-undo.js';
import { actionContext, recorder } from './context.js';
import { IMAGE, seededCluster } from './seed.js';

describe('rollback', () => {
  it('plans from the current revision to the previous one, with images', async () => {
    const ctx = actionContext(seededCluster());
    const plan = await rollback.plan!(ctx, { service: 'maestro-orchestrator' });
    expect(plan.data).toMatchObject({ fromRevision: 7, toRevision: 6, fromImages: [IMAGE('v2.8.0')], toImages: [IMAGE('v2.7.3')] });
    expect(plan.changes).toEqual([
      { what: 'revision', from: '7', to: '6' },
      { what: 'image', from: IMAGE('v2.8.0'), to: IMAGE('v2.7.3') },
    ]);
    expect(plan.target).toMatchObject({ service: 'maestro-orchestrator', env: 'prod', namespace: 'intelgraph-prod' });
  });

  it('says a rollback to a revision with the same image only restarts the pods', async () => {
    const k8s = seededCluster();
    const ref = { namespace: 'intelgraph-prod', deployment: 'maestro-orchestrator' };
    await k8s.restart(ref, '2026-12-01T10:00:00.000Z');
    const plan = await rollback.plan!(actionContext(k8s), { service: 'maestro-orchestrator' });
    expect(plan.data).toMatchObject({ fromRevision: 8, toRevision: 7, fromImages: [IMAGE('v2.8.0')], toImages: [IMAGE('v2.8.0')] });
    expect(plan.summary).toMatch(/to revision 7 \(.*:v2\.8\.0\) — same image: this only restarts the pods$/);
  });

  it('does not say "same image" when the image changes', async () => {
    const plan = await rollback.plan!(actionContext(seededCluster()), { service: 'maestro-orchestrator' });
    expect(plan.summary).not.toContain('same image');
  });

  it('plans the revision given with --to-revision', async () => {
    const ctx = actionContext(seededCluster());
    const plan = await rollback.plan!(ctx, { service: 'maestro-orchestrator', toRevision: 5 });
    expect(plan.data.toRevision).toBe(5);
    expect(plan.data.toImages).toEqual([IMAGE('v2.7.2')]);
  });

  it('refuses a rollback to the current revision', async () => {
    const ctx = actionContext(seededCluster());
    await expect(rollback.plan!(ctx, { service: 'maestro-orchestrator', toRevision: 7 })).rejects.toThrow(
      /already on revision 7.*revisions: 5, 6, 7/,
    );
  });

  it('refuses a revision that does not exist, listing those that do', async () => {
    const ctx = actionContext(seededCluster());
    const error = await rollback.plan!(ctx, { service: 'maestro-orchestrator', toRevision: 4 }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe('maestro-orchestrator has no revision 4 (revisions: 5, 6, 7)');
  });

  it('refuses a paused deployment', async () => {
    const k8s = seededCluster();
    k8s.deployments.get('intelgraph-prod/maestro-orchestrator')!.paused = true;
    await expect(rollback.plan!(actionContext(k8s), { service: 'maestro-orchestrator' })).rejects.toThrow(/is paused/);
  });

  it('refuses an unknown service, listing the catalog', async () => {
    await expect(rollback.plan!(actionContext(seededCluster()), { service: 'nope' })).rejects.toThrow(
      /unknown service 'nope' \(known: maestro-orchestrator, /,
    );
  });

  it('refuses a service that does not run in the environment', async () => {
    const ctx = actionContext(seededCluster(), { env: 'staging' });
    await expect(rollback.plan!(ctx, { service: 'notification-agent' })).rejects.toThrow(
      'notification-agent does not run in staging (it runs in: prod, dev)',
    );
  });

  it('rolls back once and reports from and to', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await rollback.plan!(ctx, { service: 'maestro-orchestrator' });
    const { progress, seen } = recorder();
    const message = (await rollback.execute(ctx, { service: 'maestro-orchestrator' }, progress, plan)).message;
    expect(k8s.changes).toEqual(['rollback maestro-orchestrator to 6']);
    expect(message.severity).toBe('success');
    expect(message.text).toContain('Revision 7 → 8 (the template of revision 6)');
    expect(seen.at(-1)).toMatchObject({ done: 3, total: 3, label: 'rollout complete' });
  });

  it('decides again after a conflict: a deployment paused in between is refused, not patched', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await rollback.plan!(ctx, { service: 'maestro-orchestrator' });
    const patch = k8s.patchDeployment.bind(k8s);
    // Someone pauses the deployment between the rollback's read and its patch: the API server answers 409.
    k8s.patchDeployment = async () => {
      k8s.deployments.get('intelgraph-prod/maestro-orchestrator')!.paused = true;
      k8s.patchDeployment = patch;
      throw new ConflictError('the object has been modified');
    };
    await expect(rollback.execute(ctx, { service: 'maestro-orchestrator' }, recorder().progress, plan)).rejects.toThrow(
      'maestro-orchestrator in intelgraph-prod is paused; resume it before rolling back',
    );
    expect(k8s.changes).toEqual([]);
  });

  it('sends the undo patch with the resourceVersion it decided on', async () => {
    const k8s = seededCluster();
    const ref = { namespace: 'intelgraph-prod', deployment: 'maestro-orchestrator' };
    const sent: (string | undefined)[] = [];
    const patch = k8s.patchDeployment.bind(k8s);
    k8s.patchDeployment = async (r, ops, resourceVersion) => {
      sent.push(resourceVersion);
      await patch(r, ops, resourceVersion);
    };
    const read = await k8s.readDeployment(ref);
    expect(await rolloutUndo(k8s, ref, { changeCause: 'test' })).toEqual({ applied: true, from: 7, to: 6 });
    expect(sent).toEqual([read.resourceVersion]);
  });

  it('does not roll back twice when the job runs again with the same plan', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await rollback.plan!(ctx, { service: 'maestro-orchestrator' });
    await rollback.execute(ctx, { service: 'maestro-orchestrator' }, recorder().progress, plan);
    const again = (await rollback.execute(ctx, { service: 'maestro-orchestrator' }, recorder().progress, plan)).message;
    expect(k8s.changes).toHaveLength(1);
    expect(again.text).toMatch(/^Already on the template of revision 6/);
  });

  it('refuses a plan the deployment has moved on from', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s);
    const plan = await rollback.plan!(ctx, { service: 'maestro-orchestrator' });
    await k8s.restart({ namespace: 'intelgraph-prod', deployment: 'maestro-orchestrator' }, '2025-01-01T00:00:00.000Z');
    await expect(rollback.execute(ctx, { service: 'maestro-orchestrator' }, recorder().progress, plan)).rejects.toThrow(
      /changed since the rollback was planned \(now revision 8, planned from 7\)/,
    );
  });

  it('reports a failed rollout with the reason, the pods and a further revision to roll back to', async () => {
    const k8s = seededCluster();
    k8s.markImageBad(IMAGE('v2.7.3'));
    const ctx = actionContext(k8s);
    const plan = await rollback.plan!(ctx, { service: 'maestro-orchestrator' });
    const message = (await rollback.execute(ctx, { service: 'maestro-orchestrator' }, recorder().progress, plan)).message;
    expect(message.severity).toBe('critical');
    expect(message.text).toMatch(/ProgressDeadlineExceeded/);
    expect(message.fields).toContainEqual({
      label: 'Next step',
      value: `roll back further: rollback maestro-orchestrator --to-revision 5 (${IMAGE('v2.7.2')})`,
    });
  });
});
