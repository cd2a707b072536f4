import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { followRollout, replicasField, unfinishedResult } from '../shared/follow-rollout.js';
import { restartedAt } from '../shared/pod-template.js';
import type { DeploymentReader, DeploymentState, FollowOptions, RolloutReader, WorkloadRef } from '../shared/kubernetes-ports.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { allFlag, oneServiceOrGroup } from '../shared/service-group.js';
import { resolveTarget, type Target } from '../shared/target.js';
import { executeRestartAll, planRestartAll, type RestartAllPlanData } from './restart-all.js';

export interface RestartWriter {
  /** `kubectl rollout restart`: sets the template's restartedAt annotation to the given time (restartOnce decides whether it may). */
  restart(ref: WorkloadRef, restartedAt: string): Promise<void>;
}

export type RestartPorts = { kubernetes: RolloutReader & RestartWriter } & FollowOptions;

export const RestartArgs = z
  .object({
    service: z.string().min(1).optional().describe('the catalog service whose pods to replace').register(argMeta, { positional: true, kind: 'service' }),
    all: allFlag,
  })
  .superRefine(oneServiceOrGroup());
export type RestartArgs = z.infer<typeof RestartArgs>;

export interface RestartPlanData {
  /** The restartedAt value execute sets; finding it already there means the restart happened. */
  restartedAt: string;
}

/** RFC 3339 with milliseconds, so two restarts in the same second are still two restarts. */
export function restartStamp(now = new Date()): string {
  return now.toISOString();
}

export function refusePaused(target: Target, d: DeploymentState, doing: string): void {
  if (d.paused) {
    throw new UserError(`${target.ref.deployment} in ${target.ref.namespace} is paused; resume it before ${doing}`, 'paused');
  }
}

/**
 * Restarts unless the template already carries this restartedAt: a retried job does not
 * restart twice. A conflict reads the deployment again, so a pause that came in between refuses.
 */
export function restartOnce(k8s: DeploymentReader & RestartWriter, target: Target, stamp: string): Promise<boolean> {
  return retryOnConflict(async () => {
    const d = await k8s.readDeployment(target.ref);
    if (restartedAt(d.template) === stamp) return false;
    refusePaused(target, d, 'restarting it');
    await k8s.restart(target.ref, stamp);
    return true;
  });
}

function isGroupPlan(plan: Plan<RestartPlanData>): plan is Plan<RestartAllPlanData> {
  return 'group' in plan.data;
}

async function plan(ctx: ActionContext<RestartPorts>, args: RestartArgs): Promise<Plan<RestartPlanData>> {
  if (args.all !== undefined) return planRestartAll(ctx, args.all);
  const target = resolveTarget(ctx, args.service!);
  const d = await ctx.ports.kubernetes.readDeployment(target.ref);
  refusePaused(target, d, 'restarting it');
  const stamp = restartStamp();
  return {
    summary: `restart ${target.service} in ${target.env}: replace its ${d.desired} pods one by one`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `deployment/${target.ref.deployment}` },
    changes: [{ what: 'template annotation kubectl.kubernetes.io/restartedAt', from: restartedAt(d.template) ?? '(none)', to: stamp }],
    data: { restartedAt: stamp },
  };
}

async function execute(
  ctx: ActionContext<RestartPorts>,
  args: RestartArgs,
  progress: ProgressReporter,
  given?: Plan<RestartPlanData>,
): Promise<ActionResult> {
  const chosen = given ?? (await plan(ctx, args));
  if (isGroupPlan(chosen)) return executeRestartAll(ctx, progress, chosen);
  const target = resolveTarget(ctx, args.service!);
  const { data } = chosen;
  const restarted = await restartOnce(ctx.ports.kubernetes, target, data.restartedAt);
  ctx.log.info({ service: target.service, env: target.env, restarted }, restarted ? 'restarted' : 'restart already applied');
  const result = await followRollout(ctx, target, progress, { action: 'restart' });
  const d = result.deployment;
  const fields = [
    { label: 'Revision', value: String(d.revision ?? '?') },
    replicasField(result.deployment),
  ];
  if (result.status !== 'complete') return unfinishedResult(`restart of ${target.service} in ${target.env}`, result, fields);
  return done({
    title: `Restarted ${target.service} in ${target.env}`,
    severity: 'success',
    text: `All ${d.desired} pods replaced (revision ${d.revision ?? '?'}, restartedAt ${data.restartedAt})${restarted ? '' : '; the restart had already been applied'}.`,
    fields,
  });
}

export const restart: Action<RestartArgs, RestartPorts, RestartPlanData> = {
  name: 'restart',
  summary: 'Replace all pods of a deployment (kubectl rollout restart), then watch the rollout',
  args: RestartArgs,
  risk: 'low',
  mitigates: true,
  examples: ['restart maestro-orchestrator', 'restart victor-coordinators --env dev', 'restart --all agents'],
  plan,
  execute,
};
