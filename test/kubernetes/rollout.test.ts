import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { history } from '../../src/verbs/history/history.js';
import { ConflictError } from '../../src/clients/kubernetes/errors.js';
import { restart, restartOnce } from '../../src/verbs/restart/restart.js';
import { rolloutUndo } from '../../src/verbs/rollback/rollout-undo.js';
import { resolveTarget } from '../../src/verbs/shared/target.js';
import { rollback } from '../../src/verbs/rollback/rollback.js';
import { status } from '../../src/verbs/status/status.js';
import type { Progress } from '../../src/core/message.js';
import { type Harness, image, noProgress, ORCHESTRATOR, startHarness } from './sandbox.js';

const svc = { service: 'maestro-orchestrator' };

describe('rollback and restart against the sandbox API server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sb.close();
  });

  it('rolls back 7 to the template of revision 6, which becomes revision 8 as kubectl numbers it', async () => {
    const ctx = h.ctx();
    const plan = await rollback.plan!(ctx, svc);
    const seen: Progress[] = [];
    const message = (await rollback.execute(ctx, svc, async (p) => void seen.push(p), plan)).message;

    expect(message.severity).toBe('success');
    const d = await h.k8s.readDeployment(ORCHESTRATOR);
    expect(d.revision).toBe(8);
    expect(d.containers[0]!.image).toBe(image('v2.7.3'));
    expect(d.template.metadata?.labels).not.toHaveProperty('pod-template-hash');
    expect((await h.k8s.listRevisions(ORCHESTRATOR)).map((r) => [r.revision, r.images[0]])).toEqual([
      [5, image('v2.7.2')],
      [7, image('v2.8.0')],
      [8, image('v2.7.3')],
    ]);
    expect(seen.at(-1)).toEqual({ done: d.desired, total: d.desired, label: 'rollout complete' });
  });

  it('records who rolled back, from where and why as the change cause', async () => {
    const ctx = h.ctx();
    await rollback.execute(ctx, svc, noProgress, await rollback.plan!(ctx, svc));
    const current = (await h.k8s.listRevisions(ORCHESTRATOR)).at(-1)!;
    expect(current.changeCause).toBe(
      'maestro-bot rollback to revision 6 by alice (slack #maestro-pager): error spike after v2.8.0',
    );
  });

  it('creates one new revision when the same plan is executed twice', async () => {
    const ctx = h.ctx();
    const plan = await rollback.plan!(ctx, svc);
    await rollback.execute(ctx, svc, noProgress, plan);
    const again = (await rollback.execute(ctx, svc, noProgress, plan)).message;
    expect(again.severity).toBe('success');
    expect((await h.k8s.listRevisions(ORCHESTRATOR)).map((r) => r.revision)).toEqual([5, 7, 8]);
  });

  it('refuses a revision that does not exist, listing those that do', async () => {
    await expect(rollback.plan!(h.ctx(), { ...svc, toRevision: 3 })).rejects.toThrow(
      'maestro-orchestrator has no revision 3 (revisions: 5, 6, 7)',
    );
  });

  it('restarts by stamping restartedAt into the template and waits for the new pods', async () => {
    const ctx = h.ctx();
    const plan = await restart.plan!(ctx, svc);
    const message = (await restart.execute(ctx, svc, noProgress, plan)).message;
    expect(message.severity).toBe('success');
    const d = await h.k8s.readDeployment(ORCHESTRATOR);
    expect(d.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(plan.data.restartedAt);
    expect(d.revision).toBe(8);
    expect(d.ready).toBe(d.desired);
  });

  it('reports a bad image as a failed rollout with the reason and the next revision to roll back to', async () => {
    h.sb.markImageBad(image('v2.7.3'));
    const ctx = h.ctx();
    const message = (await rollback.execute(ctx, svc, noProgress, await rollback.plan!(ctx, svc))).message;
    expect(message.severity).toBe('critical');
    expect(message.text).toMatch(/^Reason: (ProgressDeadlineExceeded|pods are )/);
    expect(message.fields).toContainEqual({
      label: 'Next step',
      value: `roll back further: rollback maestro-orchestrator --to-revision 5 (${image('v2.7.2')})`,
    });
    expect(message.code).toMatch(/FATAL/);
  });

  it('retries a write that answers 409 Conflict with a fresh read', async () => {
    h.sb.injectConflicts({ resource: 'deployments', namespace: 'intelgraph-prod', name: 'maestro-orchestrator', count: 2 });
    const target = resolveTarget(h.ctx(), 'maestro-orchestrator');
    expect(await restartOnce(h.k8s, target, '2030-01-01T00:00:00.000Z')).toBe(true);
    const d = await h.k8s.readDeployment(ORCHESTRATOR);
    expect(d.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2030-01-01T00:00:00.000Z');
  });

  it('rolls back through 409 Conflicts, deciding again on each fresh read', async () => {
    h.sb.injectConflicts({ resource: 'deployments', namespace: 'intelgraph-prod', name: 'maestro-orchestrator', count: 2 });
    const ctx = h.ctx();
    const message = (await rollback.execute(ctx, svc, noProgress, await rollback.plan!(ctx, svc))).message;
    expect(message.severity).toBe('success');
    expect((await h.k8s.readDeployment(ORCHESTRATOR)).containers[0]!.image).toBe(image('v2.7.3'));
  });

  it('gives up after five conflicts in a row, saying to try again', async () => {
    h.sb.injectConflicts({ resource: 'deployments', namespace: 'intelgraph-prod', name: 'maestro-orchestrator', count: 5 });
    await expect(rolloutUndo(h.k8s, ORCHESTRATOR, { changeCause: 'test' })).rejects.toThrow(
      'the object kept changing under the bot (5 conflicts in a row); try again in a moment',
    );
  });

  it('answers a JSON Patch decided on a stale resourceVersion with a ConflictError', async () => {
    const stale = await h.k8s.readDeployment(ORCHESTRATOR);
    await h.k8s.restart(ORCHESTRATOR, '2030-01-01T00:00:00.000Z');
    const ops = [{ op: 'replace' as const, path: '/spec/template', value: stale.template }];
    await expect(h.k8s.patchDeployment(ORCHESTRATOR, ops, stale.resourceVersion)).rejects.toBeInstanceOf(ConflictError);
    const d = await h.k8s.readDeployment(ORCHESTRATOR);
    expect(d.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2030-01-01T00:00:00.000Z');
  });

  it("turns a 403 into the RBAC grant the bot's service account needs", async () => {
    h.sb.deny({ verb: 'patch', resource: 'deployments', namespace: 'intelgraph-prod' });
    const ctx = h.ctx();
    await expect(restart.execute(ctx, svc, noProgress, await restart.plan!(ctx, svc))).rejects.toThrow(
      "the bot's service account may not patch deployments in intelgraph-prod: grant it in manifests/k8s/base/rbac.yaml (scripts/k8s-rbac.ts)",
    );
  });

  it('turns a 404 into the deployment and namespace not found', async () => {
    await expect(h.k8s.readDeployment({ namespace: 'intelgraph-prod', deployment: 'nope' })).rejects.toThrow(
      'deployment nope not found in intelgraph-prod',
    );
  });

  it('shows the seeded history with change causes, revision 7 current', async () => {
    const message = (await history.execute(h.ctx(), svc, noProgress)).message;
    const rows = message.table!.rows;
    expect(rows.map((row) => row[1])).toEqual(['5', '6', '7']);
    expect(rows[2]![0]).toBe('*');
    expect(rows[2]![2]).toContain('v2.8.0');
    expect(rows[2]![4]).toBe('release v2.8.0: budget policy engine');
  });

  it('shows status: replicas, revision 7 and its image', async () => {
    const message = (await status.execute(h.ctx(), svc, noProgress)).message;
    expect(message.fields).toContainEqual({ label: 'Revision', value: '7' });
    expect(message.fields).toContainEqual({ label: 'Image', value: image('v2.8.0') });
  });
});
