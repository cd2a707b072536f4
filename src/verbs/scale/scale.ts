import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { followRollout, unfinishedResult } from '../shared/follow-rollout.js';
import { autoscalerWarning } from '../hpa/autoscaler-of.js';
import type { AutoscalerReader, FollowOptions, RolloutReader, WorkloadRef } from '../shared/kubernetes-ports.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { allFlag, oneServiceOrGroup } from '../shared/service-group.js';
import { resolveTarget, type Target } from '../shared/target.js';
import { executeScaleAll, planScaleAll, type ScaleAllPlanData } from './scale-all.js';

export interface ScaleWriter {
  /** spec.replicas through the scale subresource. */
  readScale(ref: WorkloadRef): Promise<number>;
  scale(ref: WorkloadRef, replicas: number): Promise<void>;
}

export type ScalePorts = { kubernetes: RolloutReader & ScaleWriter & AutoscalerReader } & FollowOptions;

export const ScaleArgs = z
  .object({
    service: z.string().min(1).optional().describe('the catalog service to scale').register(argMeta, { positional: true, kind: 'service' }),
    replicas: z.number().int().min(0).describe('how many pods to run, within the catalog bounds').register(argMeta, { positional: true }),
    all: allFlag,
  })
  .superRefine(oneServiceOrGroup());
export type ScaleArgs = z.infer<typeof ScaleArgs>;

export interface ScalePlanData {
  from: number;
  to: number;
}

export function checkBounds(target: Target, replicas: number): void {
  const { min, max } = target.envSpec.replicas;
  if (replicas < min || replicas > max) {
    throw new UserError(
      `${target.service} in ${target.env} may run between ${min} and ${max} replicas (catalog); ${replicas} is out of range`,
      'replicas_out_of_range',
    );
  }
}

function isGroupPlan(plan: Plan<ScalePlanData | ScaleAllPlanData>): plan is Plan<ScaleAllPlanData> {
  return 'group' in plan.data;
}

async function plan(ctx: ActionContext<ScalePorts>, args: ScaleArgs): Promise<Plan<ScalePlanData | ScaleAllPlanData>> {
  if (args.all !== undefined) return planScaleAll(ctx, args.all, args.replicas);
  const target = resolveTarget(ctx, args.service!);
  checkBounds(target, args.replicas);
  const from = await ctx.ports.kubernetes.readScale(target.ref);
  // An autoscaler owns the number: say so before anyone confirms a change it will undo.
  const note = await autoscalerWarning(ctx.ports.kubernetes, target, args.replicas);
  const warning = note ? `; ${note}` : '';
  return {
    summary:
      from === args.replicas
        ? `${target.service} in ${target.env} already runs ${from} replicas; nothing to change${warning}`
        : `scale ${target.service} in ${target.env} from ${from} to ${args.replicas} replicas${warning}`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `deployment/${target.ref.deployment}` },
    changes: from === args.replicas ? [] : [{ what: 'replicas', from: String(from), to: String(args.replicas) }],
    data: { from, to: args.replicas },
  };
}

async function execute(
  ctx: ActionContext<ScalePorts>,
  args: ScaleArgs,
  progress: ProgressReporter,
  given?: Plan<ScalePlanData | ScaleAllPlanData>,
): Promise<ActionResult> {
  const chosen = given ?? (await plan(ctx, args));
  if (isGroupPlan(chosen)) return executeScaleAll(ctx, progress, chosen);
  const target = resolveTarget(ctx, args.service!);
  const data = chosen.data as ScalePlanData;
  checkBounds(target, data.to);
  const k8s = ctx.ports.kubernetes;
  // Setting the same number twice is harmless, but reading first keeps a retried job out of the audit trail as a second change.
  const scaled = await retryOnConflict(async () => {
    if ((await k8s.readScale(target.ref)) === data.to) return false;
    await k8s.scale(target.ref, data.to);
    return true;
  });
  if (scaled) ctx.log.info({ service: target.service, env: target.env, from: data.from, to: data.to }, 'scaled');
  const result = await followRollout(ctx, target, progress, { action: 'scale' });
  const d = result.deployment;
  const fields = [
    { label: 'Replicas', value: `${data.from} → ${data.to}` },
    { label: 'Ready', value: `${d.ready}/${d.desired}` },
  ];
  if (result.status !== 'complete') return unfinishedResult(`scaling of ${target.service} in ${target.env}`, result, fields);
  return done({
    title: `Scaled ${target.service} in ${target.env}`,
    severity: 'success',
    text:
      (data.from === data.to
        ? `Already at ${data.to} replicas; all ready.`
        : `${data.from} → ${data.to} replicas; ${d.ready}/${d.desired} ready.`) +
      (d.desired === data.to ? '' : ` The autoscaler has since set it to ${d.desired}.`),
    fields,
  });
}

export const scale: Action<ScaleArgs, ScalePorts, ScalePlanData | ScaleAllPlanData> = {
  name: 'scale',
  summary: 'Set the number of replicas (within the catalog bounds), then watch readiness',
  args: ScaleArgs,
  risk: 'low',
  mitigates: true,
  examples: ['scale maestro-orchestrator 5', 'scale notification-agent 6 --reason "latency"', 'scale --all agents 3'],
  plan,
  execute,
};
