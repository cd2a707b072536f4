import type { ActionContext } from '../../core/action.js';
import { type Grade, type HealthReport, type MetricsPort, readHealth } from '../../core/health.js';
import type { Severity } from '../../core/message.js';
import { deadlineExceeded, rolloutWaitingFor } from '../shared/follow-rollout.js';
import type { DeploymentState } from '../shared/kubernetes-ports.js';
import type { Target } from '../shared/target.js';

/**
 * How one service is graded, by its worst signal: the rollout and the catalog's
 * indicators alike. `status <service>` and the `status` overview grade with these,
 * so the overview can never be greener than the card of one of its services.
 */

export function rolloutState(d: DeploymentState): string {
  if (d.paused) return 'paused';
  return deadlineExceeded(d) ?? rolloutWaitingFor(d) ?? 'complete';
}

export function rolloutGrade(d: DeploymentState, restarts: number): Severity {
  if (deadlineExceeded(d) || (d.desired > 0 && d.ready === 0)) return 'critical';
  if (rolloutWaitingFor(d) || d.ready < d.desired || restarts > 0) return 'warning';
  return 'success';
}

const HEALTH_SEVERITY: Record<Grade, Severity> = { healthy: 'success', warning: 'warning', critical: 'critical' };
const SEVERITY_ORDER: Severity[] = ['success', 'info', 'warning', 'critical'];

export function worseSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a;
}

export function gradeSeverity(grade: Grade | undefined): Severity {
  return grade ? HEALTH_SEVERITY[grade] : 'success';
}

/**
 * The catalog's indicators for the target, graded from Prometheus; undefined when
 * there is nothing to read. A Prometheus outage is a report, never a thrown error.
 */
export async function readIndicators(
  ctx: ActionContext<{ metrics?: MetricsPort }>,
  target: Target,
  trendMinutes?: number,
): Promise<HealthReport | undefined> {
  const { indicators } = target.spec;
  if (!ctx.ports.metrics || Object.keys(indicators).length === 0) return undefined;
  const vars = { namespace: target.ref.namespace, deployment: target.ref.deployment, service: target.service };
  try {
    return await readHealth(ctx.ports.metrics, indicators, vars, trendMinutes ? { trendMinutes } : {});
  } catch (error) {
    ctx.log.warn({ err: error, service: target.service }, 'status: reading metrics failed');
    return { ok: false, reason: 'see the bot log' };
  }
}
