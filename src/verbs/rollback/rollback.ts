import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { followRollout, replicasField, unfinishedResult } from '../shared/follow-rollout.js';
import {
  executeGitHubRollback,
  type GitHubRollbackPlanData,
  githubUnavailable,
  type GitHubRollbackPorts,
  planGitHubRollback,
} from './github-rollback.js';
import { templateFingerprint } from '../shared/pod-template.js';
import type { FollowOptions, RolloutReader, WorkloadRef } from '../shared/kubernetes-ports.js';
import { chooseRollbackTarget } from '../shared/revisions.js';
import { rollbackEvidence } from './rollback-evidence.js';
import { type RollbackFacts, resultingField, resultingRevision } from './rollback-result.js';
import { changeCause, resolveTarget } from '../shared/target.js';
import { type RollbackWriter, rolloutUndo } from './rollout-undo.js';

export type RollbackPorts = { kubernetes: RolloutReader & RollbackWriter } & FollowOptions & Omit<GitHubRollbackPorts, 'kubernetes'>;

export const RollbackArgs = z.object({
  service: z.string().min(1).describe('the catalog service to roll back').register(argMeta, { positional: true, kind: 'service' }),
  toRevision: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('the revision to return to (default: the one before the current)'),
  via: z
    .enum(['k8s', 'github'])
    .optional()
    .describe("k8s (default): kubectl rollout undo; github: dispatch the catalog's cd-rollback.yml workflow"),
  imageTag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/, 'must be an image tag such as v2.7.3')
    .optional()
    .describe('with --via github: the stable image tag the workflow deploys')
    .register(argMeta, { placeholder: 'T' }),
});
export type RollbackArgs = z.infer<typeof RollbackArgs>;

export interface RollbackPlanData {
  via?: 'k8s';
  fromRevision?: number;
  fromImages: string[];
  toRevision: number;
  toImages: string[];
  /** Fingerprint of the target template: how a retried job sees the rollback already happened. */
  toTemplate: string;
}

/** Either path's plan; `via` tells them apart. */
export type AnyRollbackPlanData = RollbackPlanData | GitHubRollbackPlanData;

function isGitHubPlan(plan: Plan<AnyRollbackPlanData>): plan is Plan<GitHubRollbackPlanData> {
  return plan.data.via === 'github';
}

async function plan(ctx: ActionContext<RollbackPorts>, args: RollbackArgs): Promise<Plan<AnyRollbackPlanData>> {
  if (args.via === 'github') {
    if (args.toRevision !== undefined) throw new UserError('--to-revision is for the Kubernetes rollback; with --via github give --image-tag', 'conflicting_flags');
    return planGitHubRollback(ctx, args.service, args.imageTag);
  }
  if (args.imageTag !== undefined) throw new UserError('--image-tag needs --via github (the Kubernetes rollback takes --to-revision)', 'conflicting_flags');
  return planKubernetes(ctx, args);
}

async function planKubernetes(ctx: ActionContext<RollbackPorts>, args: RollbackArgs): Promise<Plan<RollbackPlanData>> {
  const target = resolveTarget(ctx, args.service);
  const k8s = ctx.ports.kubernetes;
  const [d, revisions] = await Promise.all([k8s.readDeployment(target.ref), k8s.listRevisions(target.ref)]);
  if (d.paused) {
    throw new UserError(`${target.ref.deployment} in ${target.ref.namespace} is paused; resume it before rolling back`, 'paused');
  }
  const to = chooseRollbackTarget(target.ref.deployment, d.revision, revisions, args.toRevision);
  const toTemplate = templateFingerprint(to.template);
  if (toTemplate === templateFingerprint(d.template)) {
    throw new UserError(
      `${target.ref.deployment} already runs the template of revision ${to.revision} (${to.images.join(', ')}); nothing to roll back`,
      'rollback_to_current',
    );
  }
  const fromImages = d.containers.map((c) => c.image);
  const from = d.revision === undefined ? 'current' : `revision ${d.revision}`;
  // Revisions that differ only by restartedAt (after a restart) look like a way back but change nothing that runs.
  const sameImage = sameImages(fromImages, to.images) ? ' — same image: this only restarts the pods' : '';
  return {
    summary: `roll back ${target.service} in ${target.env} from ${from} (${fromImages.join(', ')}) to revision ${to.revision} (${to.images.join(', ')})${sameImage}`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `deployment/${target.ref.deployment}` },
    changes: [
      { what: 'revision', from: d.revision === undefined ? '?' : String(d.revision), to: String(to.revision) },
      { what: 'image', from: fromImages.join(', '), to: to.images.join(', ') },
    ],
    data: { fromRevision: d.revision, fromImages, toRevision: to.revision, toImages: to.images, toTemplate },
  };
}

function sameImages(a: readonly string[], b: readonly string[]): boolean {
  const [x, y] = [[...a].sort(), [...b].sort()];
  return x.length === y.length && x.every((image, i) => image === y[i]);
}

async function execute(
  ctx: ActionContext<RollbackPorts>,
  args: RollbackArgs,
  progress: ProgressReporter,
  given?: Plan<AnyRollbackPlanData>,
): Promise<ActionResult<RollbackFacts>> {
  const chosen = given ?? (await plan(ctx, args));
  if (isGitHubPlan(chosen)) return executeGitHubRollback(ctx, args.service, progress, chosen);
  const target = resolveTarget(ctx, args.service);
  const { data } = chosen as Plan<RollbackPlanData>;
  const k8s = ctx.ports.kubernetes;
  const before = await k8s.readDeployment(target.ref);
  const alreadyThere = templateFingerprint(before.template) === data.toTemplate;
  const cause = changeCause(ctx, `rollback to revision ${data.toRevision}`);
  // Resumed after its worker was killed past the patch: the change is this job's all the same.
  const madeEarlier = alreadyThere && before.revision !== data.fromRevision && (await causedBy(k8s, target.ref, before.revision, cause));
  if (!alreadyThere) {
    if (before.revision !== data.fromRevision) {
      throw new UserError(
        `${target.ref.deployment} changed since the rollback was planned (now revision ${before.revision ?? '?'}, planned from ${data.fromRevision ?? '?'}); run rollback again to see a fresh plan`,
        'plan_stale',
      );
    }
    await rolloutUndo(k8s, target.ref, { toRevision: data.toRevision, changeCause: cause });
    ctx.log.info({ service: target.service, env: target.env, from: data.fromRevision, to: data.toRevision }, 'rolled back');
  } else {
    ctx.log.info({ service: target.service, env: target.env }, 'rollback already applied; following the rollout');
  }

  const result = await followRollout(ctx, target, progress, { action: 'rollback', suggestBelow: data.toRevision });
  // What the cluster ended at, as `kubectl rollout history` numbers it: not the planned revision.
  const now = resultingRevision(result.deployment);
  const fields = [
    { label: 'From', value: `revision ${data.fromRevision ?? '?'} (${data.fromImages.join(', ')})` },
    { label: 'Restored', value: `the template of revision ${data.toRevision} (${data.toImages.join(', ')})` },
    resultingField(now),
    replicasField(result.deployment),
  ];
  if (result.status !== 'complete') {
    // A failed rollout stays where it got stuck, so its read-back is where it ended; a cancelled one is still moving.
    const facts: RollbackFacts = result.status === 'failed' ? { via: 'kubernetes', resulting: now } : { via: 'kubernetes' };
    return unfinishedResult(`rollback of ${target.service} in ${target.env}`, result, fields, facts);
  }
  return done(
    {
      title: `Rolled back ${target.service} in ${target.env}`,
      severity: 'success',
      text:
        alreadyThere && !madeEarlier
          ? `Already on the template of revision ${data.toRevision} (${data.toImages.join(', ')}); nothing changed, the rollout is complete.`
          : `Revision ${data.fromRevision ?? '?'} → ${now.revision ?? '?'} (the template of revision ${data.toRevision}): ${data.fromImages.join(', ')} → ${now.images.join(', ')}.${madeEarlier ? ' Applied by an earlier attempt of this job; this one followed the rollout to the end.' : ''}`,
      fields,
    },
    { via: 'kubernetes', resulting: now },
  );
}

/** True when `revision` carries the change cause this rollback writes: an earlier attempt of it applied the change. */
async function causedBy(k8s: RolloutReader, ref: WorkloadRef, revision: number | undefined, cause: string): Promise<boolean> {
  if (revision === undefined) return false;
  const current = (await k8s.listRevisions(ref)).find((r) => r.revision === revision);
  return current?.changeCause === cause;
}

export const rollback: Action<RollbackArgs, RollbackPorts, AnyRollbackPlanData, RollbackFacts> = {
  name: 'rollback',
  summary: 'Roll a deployment back to an earlier revision (kubectl rollout undo), then watch the rollout',
  args: RollbackArgs,
  risk: 'high',
  mitigates: true,
  examples: [
    'rollback maestro-orchestrator',
    'rollback maestro-orchestrator --to-revision 6 --reason "v2.8.0 error spike"',
    'rollback maestro-orchestrator --env staging --via github --image-tag v2.7.3',
  ],
  unavailable: githubUnavailable,
  plan,
  execute,
  evidence: rollbackEvidence,
};
