import { z } from 'zod';
import type { Action, ActionContext, Plan, ProgressReporter } from '../core/action.js';
import { UserError } from '../core/errors.js';
import type { Message } from '../core/message.js';
import { followRollout, replicasField, unfinishedMessage } from './follow-rollout.js';
import { templateFingerprint } from './pod-template.js';
import type { FollowOptions, RolloutReader, WorkloadRef } from './ports.js';
import { chooseRollbackTarget } from './revisions.js';
import { changeCause, resolveTarget } from './target.js';

export interface RollbackOutcome {
  /** False when the deployment already ran the target template (kubectl: "skipped rollback"). */
  applied: boolean;
  from?: number;
  to: number;
}

export interface RollbackWriter {
  /**
   * `kubectl rollout undo [--to-revision N]`: refuses a paused deployment, the current
   * revision and revisions that do not exist; copies the ReplicaSet's template in.
   */
  rollback(ref: WorkloadRef, options: { toRevision?: number; changeCause: string }): Promise<RollbackOutcome>;
}

export type RollbackPorts = { kubernetes: RolloutReader & RollbackWriter } & FollowOptions;

export const RollbackArgs = z.object({
  service: z.string().min(1).describe('the catalog service to roll back'),
  toRevision: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('the revision to return to (default: the one before the current)'),
});
export type RollbackArgs = z.infer<typeof RollbackArgs>;

export interface RollbackPlanData {
  fromRevision?: number;
  fromImages: string[];
  toRevision: number;
  toImages: string[];
  /** Fingerprint of the target template: how a retried job sees the rollback already happened. */
  toTemplate: string;
}

async function plan(ctx: ActionContext<RollbackPorts>, args: RollbackArgs): Promise<Plan<RollbackPlanData>> {
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
  return {
    summary: `roll back ${target.service} in ${target.env} from ${from} (${fromImages.join(', ')}) to revision ${to.revision} (${to.images.join(', ')})`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `deployment/${target.ref.deployment}` },
    changes: [
      { what: 'revision', from: d.revision === undefined ? '?' : String(d.revision), to: String(to.revision) },
      { what: 'image', from: fromImages.join(', '), to: to.images.join(', ') },
    ],
    data: { fromRevision: d.revision, fromImages, toRevision: to.revision, toImages: to.images, toTemplate },
  };
}

async function execute(
  ctx: ActionContext<RollbackPorts>,
  args: RollbackArgs,
  progress: ProgressReporter,
  given?: Plan<RollbackPlanData>,
): Promise<Message> {
  const target = resolveTarget(ctx, args.service);
  const planned = given ?? (await plan(ctx, args));
  const { data } = planned;
  const k8s = ctx.ports.kubernetes;
  const before = await k8s.readDeployment(target.ref);
  const alreadyThere = templateFingerprint(before.template) === data.toTemplate;
  if (!alreadyThere) {
    if (before.revision !== data.fromRevision) {
      throw new UserError(
        `${target.ref.deployment} changed since the rollback was planned (now revision ${before.revision ?? '?'}, planned from ${data.fromRevision ?? '?'}); run rollback again to see a fresh plan`,
        'plan_stale',
      );
    }
    await k8s.rollback(target.ref, { toRevision: data.toRevision, changeCause: changeCause(ctx, `rollback to revision ${data.toRevision}`) });
    ctx.log.info({ service: target.service, env: target.env, from: data.fromRevision, to: data.toRevision }, 'rolled back');
  } else {
    ctx.log.info({ service: target.service, env: target.env }, 'rollback already applied; following the rollout');
  }

  const result = await followRollout(ctx, target, progress, { action: 'rollback', suggestBelow: data.toRevision });
  const fields = [
    { label: 'From', value: `revision ${data.fromRevision ?? '?'} (${data.fromImages.join(', ')})` },
    { label: 'To', value: `revision ${result.deployment.revision ?? '?'}, the template of revision ${data.toRevision} (${data.toImages.join(', ')})` },
    replicasField(result.deployment),
  ];
  if (result.status !== 'complete') {
    return unfinishedMessage(`rollback of ${target.service} in ${target.env}`, result, fields);
  }
  return {
    title: `Rolled back ${target.service} in ${target.env}`,
    severity: 'success',
    text: alreadyThere
      ? `Already on the template of revision ${data.toRevision} (${data.toImages.join(', ')}); nothing changed, the rollout is complete.`
      : `Revision ${data.fromRevision ?? '?'} → ${result.deployment.revision ?? '?'} (the template of revision ${data.toRevision}): ${data.fromImages.join(', ')} → ${data.toImages.join(', ')}.`,
    fields,
  };
}

export const rollback: Action<RollbackArgs, RollbackPorts, RollbackPlanData> = {
  name: 'rollback',
  summary: 'Roll a deployment back to an earlier revision (kubectl rollout undo), then watch the rollout',
  params: {
    positional: [{ name: 'service', kind: 'service', description: 'the service to roll back' }],
    flags: {
      'to-revision': { kind: 'int', description: 'the revision to return to (default: the previous one)', placeholder: 'N' },
    },
  },
  args: RollbackArgs,
  risk: 'high',
  examples: ['rollback maestro-orchestrator', 'rollback maestro-orchestrator --to-revision 6 --reason "v2.8.0 error spike"'],
  plan,
  execute,
};
