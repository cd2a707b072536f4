import axios from 'axios';
import { z } from 'zod';
import type { Action, ActionContext, Plan } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import { describeReading, fillQuery, grade, type MetricsPort } from '../../core/health.js';
import type { Field, Message } from '../../core/message.js';
import type { ServiceEndpoints } from '../../verification/ports.js';
import { resolveTarget } from '../shared/target.js';
import { sleep } from '../../core/sleep.js';

export interface WarmState {
  id: string;
  status: 'running' | 'completed' | 'failed';
  done: number;
  total: number;
}

/** The service admin API's cache warm-up: start one, then ask how far it got. */
export interface CacheWarmPort {
  start(url: string, request: { coordinator: string; items: number }): Promise<WarmState>;
  progress(url: string, id: string): Promise<WarmState>;
}

const WarmStateSchema = z.looseObject({
  id: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  done: z.number(),
  total: z.number(),
});

/** `POST <adminUrl><path>` {coordinator, items} → 202 {id, status, done, total}; `GET <adminUrl><path>/<id>`. */
export const httpCacheWarmer: CacheWarmPort = {
  async start(url, request) {
    const response = await axios.post(url, request, { timeout: 10_000, validateStatus: () => true });
    if (response.status === 400) {
      const error = (response.data as { error?: unknown } | undefined)?.error;
      throw new UserError(`the admin endpoint refused the warm-up: ${typeof error === 'string' ? error : 'bad request'}`, 'cache_warm_refused');
    }
    if (response.status >= 300) throw new Error(`cache warm: ${url} answered HTTP ${response.status}`);
    return WarmStateSchema.parse(response.data);
  },
  async progress(url, id) {
    const response = await axios.get(`${url}/${encodeURIComponent(id)}`, { timeout: 10_000, validateStatus: () => true });
    if (response.status >= 300) throw new Error(`cache warm: progress of ${id} answered HTTP ${response.status}`);
    return WarmStateSchema.parse(response.data);
  },
};

export interface CacheWarmPorts {
  cacheWarmer?: CacheWarmPort;
  /** Where the admin API answers (the sandbox's in a drill); default: the catalog's adminUrl. */
  endpoints?: ServiceEndpoints;
  metrics?: MetricsPort;
  /** How often to ask for progress (default 2 s). */
  cacheWarmPollMs?: number;
  /** Give up following after this long (default 15 min). */
  cacheWarmTimeoutMs?: number;
}

export const CacheWarmArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose cache to warm').register(argMeta, { positional: true, kind: 'service' }),
  coordinator: z.string().min(1).optional().describe("the coordinator (default: the catalog's first)").register(argMeta, { placeholder: 'C' }),
  items: z.number().int().positive().optional().describe("how many items to warm (default and limit: the catalog's)"),
});
export type CacheWarmArgs = z.infer<typeof CacheWarmArgs>;

export interface CacheWarmPlanData {
  url: string;
  coordinator: string;
  items: number;
}

async function plan(ctx: ActionContext<CacheWarmPorts>, args: CacheWarmArgs): Promise<Plan<CacheWarmPlanData>> {
  const target = resolveTarget(ctx, args.service);
  const spec = target.spec.cacheWarm;
  if (!spec) {
    const have = Object.entries(ctx.catalog.services)
      .filter(([, s]) => s.cacheWarm)
      .map(([n]) => n);
    throw new UserError(`${args.service} has no cache warm-up in the catalog (services that have one: ${have.join(', ') || 'none'})`, 'no_cache_warm');
  }
  const coordinator = args.coordinator ?? spec.coordinators[0]!;
  if (!spec.coordinators.includes(coordinator)) {
    throw new UserError(`unknown coordinator '${coordinator}' for ${args.service} (allowed: ${spec.coordinators.join(', ')})`, 'unknown_coordinator');
  }
  const items = args.items ?? spec.defaultItems;
  if (items > spec.maxItems) {
    throw new UserError(`--items ${items} is above the catalog's limit for ${args.service} (allowed: 1-${spec.maxItems})`, 'too_many_items');
  }
  const base = ctx.ports.endpoints ? ctx.ports.endpoints.admin(target.service, target.env, target.envSpec) : target.envSpec.adminUrl;
  if (!base) throw new UserError(`${args.service} in ${ctx.env} has no adminUrl in the catalog; add one to warm its cache`, 'no_admin_url');
  return {
    summary: `warm the ${coordinator} cache of ${args.service} in ${ctx.env} with ${items} items`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `admin${spec.path}` },
    changes: [{ what: `${coordinator} cache`, from: 'as is', to: `${items} items warmed` }],
    data: { url: `${base.replace(/\/+$/, '')}${spec.path}`, coordinator, items },
  };
}

/** The runbook's follow-up: is the cache hit rate back above its thresholds? */
async function hitRate(ctx: ActionContext<CacheWarmPorts>, service: string): Promise<{ field?: Field; ok: boolean }> {
  const target = resolveTarget(ctx, service);
  const entry = Object.entries(target.spec.indicators).find(([name]) => /cache.*hit|hit.*rate/i.test(name));
  if (!entry || !ctx.ports.metrics) return { ok: true };
  const [name, indicator] = entry;
  const promql = fillQuery(indicator.query, { namespace: target.ref.namespace, deployment: target.ref.deployment, service });
  try {
    const value = await ctx.ports.metrics.query(promql);
    if (value === undefined) return { field: { label: name, value: 'no data' }, ok: true };
    const g = grade(indicator, value);
    return { field: { label: name, value: describeReading({ name, indicator, value, grade: g }) }, ok: g === 'healthy' };
  } catch (error) {
    ctx.log.warn({ err: error }, 'cache warm: cannot read the hit rate');
    return { field: { label: name, value: `metrics unavailable (${(error as Error).message})` }, ok: true };
  }
}

export const cacheWarm: Action<CacheWarmArgs, CacheWarmPorts, CacheWarmPlanData> = {
  name: 'cache warm',
  summary: "Warm a service's cache through its admin API (victor admin warm-cache), then check the hit rate",
  args: CacheWarmArgs,
  risk: 'low',
  examples: ['cache warm victor-coordinators', 'cache warm victor-coordinators --coordinator ChatCoordinator --items 1000'],
  plan,
  async execute(ctx, args, progress, given) {
    const { data } = given ?? (await plan(ctx, args));
    const warmer = ctx.ports.cacheWarmer ?? httpCacheWarmer;
    let state = await warmer.start(data.url, { coordinator: data.coordinator, items: data.items });
    const deadline = Date.now() + (ctx.ports.cacheWarmTimeoutMs ?? 15 * 60_000);
    while (state.status === 'running') {
      await progress({ done: state.done, total: state.total, label: `${data.coordinator}: items warmed` });
      if (Date.now() > deadline) throw new UserError(`the warm-up ${state.id} is still running after 15 minutes; check the service`, 'cache_warm_timeout');
      await sleep(ctx.ports.cacheWarmPollMs ?? 2000, ctx.signal);
      state = await warmer.progress(data.url, state.id);
    }
    if (state.status === 'failed') throw new UserError(`the warm-up ${state.id} failed after ${state.done} of ${state.total} items; see the service's logs`, 'cache_warm_failed');
    await progress({ done: state.total, total: state.total, label: `${data.coordinator}: items warmed` });
    const check = await hitRate(ctx, args.service);
    const message: Message = {
      title: `Warmed the ${data.coordinator} cache of ${args.service} in ${ctx.env}: ${state.done} items`,
      severity: check.ok ? 'success' : 'warning',
      text: check.ok ? undefined : 'The hit rate is still below its threshold: check for an invalidation storm (runbook: Cache Miss Burst).',
      fields: [{ label: 'Warm-up', value: `${state.id}: ${state.done}/${state.total}` }, ...(check.field ? [check.field] : [])],
    };
    return message;
  },
};
