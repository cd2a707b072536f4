import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { followRollout, replicasField, unfinishedResult } from '../shared/follow-rollout.js';
import type { FollowOptions, RolloutReader } from '../shared/kubernetes-ports.js';
import { type RestartWriter, restartOnce, restartStamp } from '../restart/restart.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { resolveTarget, type Target } from '../shared/target.js';

export interface ConfigMapPort {
  readConfigMap(namespace: string, name: string): Promise<Record<string, string>>;
  /** Merge-patches one key; other keys are left alone. */
  setConfigMapKey(namespace: string, name: string, key: string, value: string): Promise<void>;
}

export type FlagPorts = { kubernetes: RolloutReader & RestartWriter & ConfigMapPort } & FollowOptions;

export const FlagArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose flag to set').register(argMeta, { positional: true, kind: 'service' }),
  flag: z.string().min(1).describe('one of the flags the catalog lists for the service').register(argMeta, { positional: true }),
  state: z.enum(['on', 'off']).describe('on sets the flag to "true", off to "false"').register(argMeta, { positional: true }),
});
export type FlagArgs = z.infer<typeof FlagArgs>;

export interface FlagPlanData {
  configMap: string;
  value: 'true' | 'false';
  /** Set when the pods must restart to read the new value; a retried job finds it and does not restart again. */
  restartedAt?: string;
}

function flagTarget(ctx: ActionContext<FlagPorts>, args: FlagArgs): { target: Target; configMap: string } {
  const target = resolveTarget(ctx, args.service);
  const flags = target.spec.flags;
  if (flags.length === 0) throw new UserError(`${target.service} has no flags in the catalog`, 'unknown_flag');
  if (!flags.includes(args.flag)) {
    throw new UserError(`${target.service} has no flag ${args.flag} (flags: ${flags.join(', ')})`, 'unknown_flag');
  }
  const configMap = target.envSpec.configMap;
  if (!configMap) throw new UserError(`${target.service} in ${target.env} has no configMap in the catalog`, 'no_configmap');
  return { target, configMap };
}

async function plan(ctx: ActionContext<FlagPorts>, args: FlagArgs): Promise<Plan<FlagPlanData>> {
  const { target, configMap } = flagTarget(ctx, args);
  const value = args.state === 'on' ? 'true' : 'false';
  const current = (await ctx.ports.kubernetes.readConfigMap(target.ref.namespace, configMap))[args.flag];
  const changes = current === value ? [] : [{ what: `${configMap}.${args.flag}`, from: current ?? '(unset)', to: value }];
  return {
    summary:
      changes.length === 0
        ? `${args.flag} of ${target.service} in ${target.env} is already ${value}; nothing to change`
        : `set ${args.flag}=${value} in ConfigMap ${configMap} (${target.ref.namespace}), then restart ${target.service}`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `configmap/${configMap}` },
    changes,
    data: { configMap, value, restartedAt: changes.length === 0 ? undefined : restartStamp() },
  };
}

async function execute(
  ctx: ActionContext<FlagPorts>,
  args: FlagArgs,
  progress: ProgressReporter,
  given?: Plan<FlagPlanData>,
): Promise<ActionResult> {
  const { target } = flagTarget(ctx, args);
  const { data } = given ?? (await plan(ctx, args));
  const k8s = ctx.ports.kubernetes;
  let stamp = data.restartedAt;
  const current = await retryOnConflict(async () => {
    const value = (await k8s.readConfigMap(target.ref.namespace, data.configMap))[args.flag];
    if (value !== data.value) await k8s.setConfigMapKey(target.ref.namespace, data.configMap, args.flag, data.value);
    return value;
  });
  if (current !== data.value) {
    ctx.log.info({ service: target.service, env: target.env, flag: args.flag, value: data.value }, 'flag set');
    // Someone changed it back since the plan: the pods must still pick the value up.
    stamp ??= restartStamp();
  }
  const field = { label: args.flag, value: `${current ?? '(unset)'} → ${data.value}` };
  if (!stamp) {
    return done({
      title: `${args.flag} is already ${args.state} for ${target.service} in ${target.env}`,
      severity: 'info',
      text: 'Nothing changed.',
      fields: [{ label: args.flag, value: data.value }],
    });
  }
  await restartOnce(k8s, target, stamp);
  const result = await followRollout(ctx, target, progress, { action: 'flag' });
  const fields = [field, replicasField(result.deployment)];
  if (result.status !== 'complete') return unfinishedResult(`restart after setting ${args.flag} on ${target.service}`, result, fields);
  return done({
    title: `${args.flag} turned ${args.state} for ${target.service} in ${target.env}`,
    severity: 'success',
    text: `Set ${args.flag}=${data.value} in ConfigMap ${data.configMap} and restarted; all ${result.deployment.desired} pods run with it.`,
    fields,
  });
}

export const flag: Action<FlagArgs, FlagPorts, FlagPlanData> = {
  name: 'flag',
  summary: "Turn an emergency flag on or off in the service's ConfigMap, then restart it",
  args: FlagArgs,
  risk: 'high',
  mitigates: true,
  examples: ['flag maestro-orchestrator CIRCUIT_BREAKER_ENABLED on', 'flag maestro-orchestrator PREMIUM_ROUTING_ENABLED off'],
  plan,
  execute,
};
