import { z } from 'zod';
import type { Dependency } from '../../config/service-api-schema.js';
import { done } from '../../core/action-result.js';
import type { Action, ActionContext } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import { describeReading, fillQuery, type Grade, grade, type MetricsPort, MetricsUnavailableError, worstOf } from '../../core/health.js';
import type { Message, Severity } from '../../core/message.js';
import { adminBase, describeAnswer, httpOf, isSuccess, type ServiceApiPorts, timeoutOf } from '../admin/service-api.js';
import { resolveTarget, type Target } from '../shared/target.js';

export type DepsPorts = ServiceApiPorts & { metrics?: MetricsPort };

export const DepsArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose dependencies to check').register(argMeta, { positional: true, kind: 'service' }),
});
export type DepsArgs = z.infer<typeof DepsArgs>;

export interface DependencyResult {
  name: string;
  /** Absent when the check could not be made (no metrics backend, no data): said in `detail`, not graded. */
  grade?: Grade;
  value?: number;
  detail: string;
}

export interface DepsFacts {
  checks: DependencyResult[];
  worst?: Grade;
}

type QueryDependency = Extract<Dependency, { kind: 'query' }>;
type HttpDependency = Extract<Dependency, { kind: 'http' }>;

async function queryCheck(ctx: ActionContext<DepsPorts>, target: Target, name: string, dep: QueryDependency): Promise<DependencyResult> {
  if (!ctx.ports.metrics) return { name, detail: 'not checked: no Prometheus is configured (set PROMETHEUS_URL)' };
  const promql = fillQuery(dep.query, { namespace: target.ref.namespace, deployment: target.ref.deployment, service: target.service });
  try {
    const value = await ctx.ports.metrics.query(promql);
    if (value === undefined) return { name, detail: `no data (the query returned no series: is its exporter scraped?)` };
    const g = grade(dep, value);
    return { name, grade: g, value, detail: describeReading({ name, indicator: dep, value, grade: g }) };
  } catch (error) {
    if (error instanceof MetricsUnavailableError) return { name, detail: `not checked: metrics unavailable (${error.reason})` };
    throw error;
  }
}

/** 2xx in time is healthy, 2xx slower than the declared warningMs a warning, anything else critical. */
async function httpCheck(ctx: ActionContext<DepsPorts>, target: Target, name: string, dep: HttpDependency): Promise<DependencyResult> {
  const url = `${adminBase(ctx, target, `check ${name}`)}${dep.path}`;
  const timeoutMs = timeoutOf(ctx);
  const answer = await httpOf(ctx).call({ method: 'GET', url, timeoutMs });
  if (answer.kind !== 'answered') return { name, grade: 'critical', detail: `GET ${dep.path} ${describeAnswer(answer, timeoutMs)}` };
  if (!isSuccess(answer)) return { name, grade: 'critical', detail: `GET ${dep.path} answered ${describeAnswer(answer, timeoutMs)}` };
  const slow = answer.latencyMs >= dep.warningMs;
  return {
    name,
    grade: slow ? 'warning' : 'healthy',
    value: answer.latencyMs,
    detail: `GET ${dep.path} answered ${answer.status} in ${answer.latencyMs} ms ${slow ? 'warning' : 'healthy'} (≥ ${dep.warningMs} ms warning)`,
  };
}

const SEVERITY: Record<Grade, Severity> = { healthy: 'success', warning: 'warning', critical: 'critical' };

export const deps: Action<DepsArgs, DepsPorts, unknown, DepsFacts> = {
  name: 'deps',
  summary: 'Check what the service depends on (the runbooks\' pods, Redis memory, database reachability), graded healthy/warning/critical',
  args: DepsArgs,
  risk: 'read',
  examples: ['deps maestro-orchestrator', 'deps victor-coordinators'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const declared = Object.entries(target.spec.dependencies);
    if (declared.length === 0) {
      const have = Object.entries(ctx.catalog.services)
        .filter(([, s]) => Object.keys(s.dependencies).length > 0)
        .map(([n]) => n);
      throw new UserError(`${target.service} has no dependency checks in the catalog (services that have some: ${have.join(', ') || 'none'})`, 'no_dependencies');
    }
    const checks = await Promise.all(
      declared.map(([name, dep]) => (dep.kind === 'query' ? queryCheck(ctx, target, name, dep) : httpCheck(ctx, target, name, dep))),
    );
    const graded = checks.filter((c) => c.grade !== undefined);
    const worst = graded.length > 0 ? worstOf(graded.map((c) => c.grade)) : undefined;
    const unchecked = checks.length - graded.length;
    const bad = graded.filter((c) => c.grade !== 'healthy');
    const title =
      bad.length > 0
        ? `${target.service} in ${target.env}: ${bad.map((c) => `${c.name} ${c.grade}`).join(', ')}`
        : `${target.service} in ${target.env}: ${graded.length} of ${checks.length} dependencies healthy${unchecked > 0 ? `, ${unchecked} not checked` : ''}`;
    const message: Message = {
      title,
      // A check that could not be made is not a healthy one.
      severity: worst && !(worst === 'healthy' && unchecked > 0) ? SEVERITY[worst] : 'warning',
      fields: checks.map((c) => ({ label: c.name, value: c.detail })),
      footer: `namespace ${target.ref.namespace}; read-only checks from the catalog`,
    };
    return done(message, { checks, ...(worst ? { worst } : {}) });
  },
};
