import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done, failed } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { sleep } from '../../core/sleep.js';
import { followRollout, unfinishedResult } from '../shared/follow-rollout.js';
import type { AutoscalerInfo, AutoscalerReader, FollowOptions, RolloutReader, WorkloadRef } from '../shared/kubernetes-ports.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { resolveTarget, type Target } from '../shared/target.js';
import { autoscalerOf } from './autoscaler-of.js';

export interface AutoscalerWriter {
  readAutoscaler(namespace: string, name: string): Promise<AutoscalerInfo>;
  /** spec.minReplicas and spec.maxReplicas, only on the object as read when a resourceVersion is given. */
  setAutoscalerBounds(namespace: string, name: string, bounds: Bounds, resourceVersion?: string): Promise<void>;
  /** spec.replicas of the target deployment, through the scale subresource. */
  readScale(ref: WorkloadRef): Promise<number>;
}

export type HpaSetPorts = { kubernetes: RolloutReader & AutoscalerReader & AutoscalerWriter } & FollowOptions;

export const HpaSetArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose autoscaler bounds to change').register(argMeta, { positional: true, kind: 'service' }),
  min: z.number().int().min(1).optional().describe('the fewest replicas the autoscaler may run (at least 1)'),
  max: z.number().int().min(1).optional().describe('the most replicas the autoscaler may run, within the catalog bound'),
});
export type HpaSetArgs = z.infer<typeof HpaSetArgs>;

export interface Bounds {
  min: number;
  max: number;
}

export interface HpaSetPlanData {
  name: string;
  from: Bounds;
  to: Bounds;
}

export interface HpaSetFacts {
  autoscaler: string;
  from: Bounds;
  to: Bounds;
  replicas: number;
}

/** The new bounds, checked against each other and against the catalog's replica bounds (the ones `scale` keeps to). */
export function checkedBounds(target: Target, current: Bounds, args: HpaSetArgs): Bounds {
  if (args.min === undefined && args.max === undefined) {
    throw new UserError(`say what to change: hpa set ${target.service} --min N --max M (now min ${current.min}, max ${current.max})`, 'nothing_to_change');
  }
  const to = { min: args.min ?? current.min, max: args.max ?? current.max };
  if (to.min > to.max) {
    const said = args.min !== undefined && args.max !== undefined ? '' : ` (the autoscaler's current ${args.min === undefined ? 'min' : 'max'})`;
    throw new UserError(`--min ${to.min} is above --max ${to.max}${said}: the minimum cannot exceed the maximum`, 'min_above_max');
  }
  const { min, max } = target.envSpec.replicas;
  if (to.min < min || to.max > max) {
    throw new UserError(
      `${target.service} in ${target.env} may run between ${min} and ${max} replicas (catalog); min ${to.min}, max ${to.max} goes outside that`,
      'replicas_out_of_range',
    );
  }
  return to;
}

async function plan(ctx: ActionContext<HpaSetPorts>, args: HpaSetArgs): Promise<Plan<HpaSetPlanData>> {
  const target = resolveTarget(ctx, args.service);
  const { hpa } = await autoscalerOf(ctx.ports.kubernetes, target);
  if (!hpa) {
    throw new UserError(
      `no HorizontalPodAutoscaler targets deployment/${target.ref.deployment} in ${target.ref.namespace}; set its replicas with: scale ${target.service} N`,
      'no_autoscaler',
    );
  }
  const from = { min: hpa.min, max: hpa.max };
  const to = checkedBounds(target, from, args);
  const replicas = await ctx.ports.kubernetes.readScale(target.ref);
  const clamped = Math.min(Math.max(replicas, to.min), to.max);
  const same = from.min === to.min && from.max === to.max;
  const consequence = clamped === replicas ? '' : `; it will then scale ${target.ref.deployment} from ${replicas} to ${clamped} replicas`;
  return {
    summary: same
      ? `the autoscaler of ${target.service} in ${target.env} already has min ${to.min}, max ${to.max}; nothing to change`
      : `set the autoscaler of ${target.service} in ${target.env} (${target.ref.namespace}) to min ${to.min}, max ${to.max}${consequence}`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `horizontalpodautoscaler/${hpa.name}` },
    changes: [
      ...(from.min === to.min ? [] : [{ what: 'minReplicas', from: String(from.min), to: String(to.min) }]),
      ...(from.max === to.max ? [] : [{ what: 'maxReplicas', from: String(from.max), to: String(to.max) }]),
    ],
    data: { name: hpa.name, from, to },
  };
}

/** The autoscaler acts on its own schedule: wait until the deployment's replicas are within the new bounds. */
async function waitWithinBounds(ctx: ActionContext<HpaSetPorts>, ref: WorkloadRef, to: Bounds): Promise<number | undefined> {
  const deadline = Date.now() + (ctx.ports.followTimeoutMs ?? 10 * 60_000);
  for (;;) {
    const replicas = await ctx.ports.kubernetes.readScale(ref);
    if (replicas === 0 || (replicas >= to.min && replicas <= to.max)) return replicas;
    if (Date.now() > deadline || ctx.signal.aborted) return undefined;
    await sleep(ctx.ports.followPollMs ?? 2000, ctx.signal).catch(() => undefined);
  }
}

async function execute(
  ctx: ActionContext<HpaSetPorts>,
  args: HpaSetArgs,
  progress: ProgressReporter,
  given?: Plan<HpaSetPlanData>,
): Promise<ActionResult<HpaSetFacts>> {
  const target = resolveTarget(ctx, args.service);
  const { data } = given ?? (await plan(ctx, args));
  const k8s = ctx.ports.kubernetes;
  const { namespace } = target.ref;
  // Read, decide, patch with the resourceVersion read: a retried job patches nothing twice, and a change in between is decided on again.
  const patched = await retryOnConflict(async () => {
    const now = await k8s.readAutoscaler(namespace, data.name);
    checkedBounds(target, { min: now.min, max: now.max }, { service: args.service, ...data.to });
    if (now.min === data.to.min && now.max === data.to.max) return false;
    await k8s.setAutoscalerBounds(namespace, data.name, data.to, now.resourceVersion);
    return true;
  });
  if (patched) ctx.log.info({ service: target.service, env: target.env, from: data.from, to: data.to }, 'autoscaler bounds set');
  const bounds = `min ${data.from.min} → ${data.to.min}, max ${data.from.max} → ${data.to.max}`;
  const replicas = await waitWithinBounds(ctx, target.ref, data.to);
  if (replicas === undefined) {
    return failed({
      title: `Autoscaler of ${target.service} in ${target.env} set, replicas still outside its bounds`,
      severity: 'critical',
      text: `${bounds}; the autoscaler has not brought deployment/${target.ref.deployment} within them yet: check \`hpa ${target.service}\` for why.`,
    });
  }
  const result = await followRollout(ctx, target, progress, { action: 'hpa set' });
  const d = result.deployment;
  const fields = [
    { label: 'Bounds', value: bounds },
    { label: 'Ready', value: `${d.ready}/${d.desired}` },
  ];
  const facts = { autoscaler: data.name, from: data.from, to: data.to, replicas: d.desired };
  if (result.status !== 'complete') return unfinishedResult(`rescaling of ${target.service} in ${target.env}`, result, fields, facts);
  return done(
    {
      title: `Autoscaler of ${target.service} in ${target.env} set to ${data.to.min}–${data.to.max}`,
      severity: 'success',
      text: `${patched ? '' : 'The bounds were already set; '}${d.desired} replicas, ${d.ready}/${d.desired} ready.`,
      fields,
    },
    facts,
  );
}

export const hpaSet: Action<HpaSetArgs, HpaSetPorts, HpaSetPlanData, HpaSetFacts> = {
  name: 'hpa set',
  summary: 'Change the min/max replicas of a service’s HorizontalPodAutoscaler (within the catalog bounds), then watch readiness',
  args: HpaSetArgs,
  risk: 'low',
  mitigates: true,
  examples: ['hpa set notification-agent --min 3 --max 15', 'hpa set maestro-orchestrator --max 10 --reason "latency"'],
  plan,
  execute,
};
