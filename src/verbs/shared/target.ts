import type { Service, ServiceEnv } from '../../config/catalog-schema.js';
import type { ActionContext } from '../../core/action.js';
import { UserError } from '../../core/errors.js';
import type { WorkloadRef } from './kubernetes-ports.js';

export interface Target {
  service: string;
  env: string;
  spec: Service;
  envSpec: ServiceEnv;
  ref: WorkloadRef;
}

/** The catalog entry of a service in the context's environment, or a UserError saying what exists. */
export function resolveTarget(ctx: ActionContext<unknown>, service: string): Target {
  const spec = ctx.catalog.services[service];
  if (!spec) {
    const known = Object.keys(ctx.catalog.services).join(', ');
    throw new UserError(`unknown service '${service}' (known: ${known})`, 'unknown_service');
  }
  const envSpec = spec.envs[ctx.env];
  if (!envSpec) {
    const envs = Object.keys(spec.envs).join(', ');
    throw new UserError(`${service} does not run in ${ctx.env} (it runs in: ${envs})`, 'unknown_env');
  }
  return {
    service,
    env: ctx.env,
    spec,
    envSpec,
    ref: { namespace: envSpec.namespace, deployment: envSpec.deployment },
  };
}

/** The `--env` suffix for a suggested command, left out for the catalog default. */
export function envSuffix(ctx: ActionContext<unknown>): string {
  return ctx.env === ctx.catalog.defaults.env ? '' : ` --env ${ctx.env}`;
}

/** Who asked, from where and why: what kubectl's change-cause annotation would say. */
export function changeCause(ctx: ActionContext<unknown>, what: string): string {
  const where = ctx.conversation?.name ?? ctx.conversation?.id;
  const from = `${ctx.actor.platform}${where ? ` ${where}` : ''}`;
  const why = ctx.reason ? `: ${ctx.reason}` : '';
  return `maestro-bot ${what} by ${ctx.actor.name} (${from})${why}`;
}
