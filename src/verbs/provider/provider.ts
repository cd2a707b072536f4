import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { followRollout, replicasField, unfinishedResult } from '../shared/follow-rollout.js';
import type { ContainerState, FollowOptions, RolloutReader, WorkloadRef } from '../shared/kubernetes-ports.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { resolveTarget } from '../shared/target.js';

export interface EnvWriter {
  /** `kubectl set env`: sets these variables on the named container, leaving the others alone. */
  setContainerEnv(ref: WorkloadRef, container: string, env: Record<string, string>): Promise<void>;
}

export type ProviderPorts = { kubernetes: RolloutReader & EnvWriter } & FollowOptions;

export const ProviderArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose LLM provider to switch').register(argMeta, { positional: true, kind: 'service' }),
  provider: z.string().min(1).describe('one of the providers the catalog lists for the service').register(argMeta, { positional: true }),
});
export type ProviderArgs = z.infer<typeof ProviderArgs>;

export interface ProviderPlanData {
  container: string;
  env: Record<string, string>;
}

function missing(container: ContainerState | undefined, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => container?.env[k] !== v));
}

function providerTarget(ctx: ActionContext<ProviderPorts>, args: ProviderArgs) {
  const target = resolveTarget(ctx, args.service);
  const names = Object.keys(target.spec.providers);
  if (names.length === 0) throw new UserError(`${target.service} has no providers in the catalog`, 'unknown_provider');
  const provider = target.spec.providers[args.provider];
  if (!provider) {
    throw new UserError(`${target.service} has no provider ${args.provider} (providers: ${names.join(', ')})`, 'unknown_provider');
  }
  return { target, provider };
}

async function plan(ctx: ActionContext<ProviderPorts>, args: ProviderArgs): Promise<Plan<ProviderPlanData>> {
  const { target, provider } = providerTarget(ctx, args);
  const d = await ctx.ports.kubernetes.readDeployment(target.ref);
  const container = d.containers.find((c) => c.name === target.envSpec.container);
  if (!container) {
    throw new UserError(`${target.ref.deployment} has no container ${target.envSpec.container} (catalog and cluster disagree)`, 'no_container');
  }
  const changes = Object.entries(missing(container, provider.env)).map(([k, v]) => ({
    what: `env ${k}`,
    from: container.env[k] ?? '(unset)',
    to: v,
  }));
  return {
    summary:
      changes.length === 0
        ? `${target.service} in ${target.env} already uses ${args.provider}; nothing to change`
        : `switch ${target.service} in ${target.env} to ${args.provider} (${provider.description}) by setting container env`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `deployment/${target.ref.deployment}` },
    changes,
    data: { container: container.name, env: { ...provider.env } },
  };
}

async function execute(
  ctx: ActionContext<ProviderPorts>,
  args: ProviderArgs,
  progress: ProgressReporter,
  given?: Plan<ProviderPlanData>,
): Promise<ActionResult> {
  const { target, provider } = providerTarget(ctx, args);
  const { data } = given ?? (await plan(ctx, args));
  const k8s = ctx.ports.kubernetes;
  // A conflict reads the container again: what is still missing is decided on what is there now.
  const todo = await retryOnConflict(async () => {
    const d = await k8s.readDeployment(target.ref);
    const container = d.containers.find((c) => c.name === data.container);
    if (!container) {
      throw new UserError(`${target.ref.deployment} in ${target.ref.namespace} has no container ${data.container}`, 'no_container');
    }
    const unset = missing(container, data.env);
    if (Object.keys(unset).length > 0) await k8s.setContainerEnv(target.ref, data.container, data.env);
    return unset;
  });
  const changed = Object.keys(todo).length > 0;
  if (changed) {
    ctx.log.info({ service: target.service, env: target.env, provider: args.provider }, 'provider switched');
  }
  const result = await followRollout(ctx, target, progress, { action: 'provider' });
  const fields = [
    { label: 'Provider', value: `${args.provider} (${provider.description})` },
    { label: 'Env', value: Object.entries(data.env).map(([k, v]) => `${k}=${v}`).join('\n') },
    replicasField(result.deployment),
  ];
  if (result.status !== 'complete') return unfinishedResult(`switch of ${target.service} to ${args.provider}`, result, fields);
  return done({
    title: `${target.service} in ${target.env} now uses ${args.provider}`,
    severity: 'success',
    text: changed
      ? `Set ${Object.keys(todo).join(', ')} on container ${data.container}; the rollout is complete.`
      : `Already on ${args.provider}; nothing changed.`,
    fields,
  });
}

export const provider: Action<ProviderArgs, ProviderPorts, ProviderPlanData> = {
  name: 'provider',
  summary: 'Switch the LLM provider or endpoint by setting container env, then watch the rollout',
  args: ProviderArgs,
  risk: 'high',
  mitigates: true,
  examples: ['provider notification-agent azure-openai-backup', 'provider notification-agent ollama'],
  plan,
  execute,
};
