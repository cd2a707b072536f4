import type { ActionContext } from '../../core/action.js';
import { isUserError } from '../../core/errors.js';
import { formatValue, type HealthReport } from '../../core/health.js';
import type { Message, Severity } from '../../core/message.js';
import { gradeSeverity, readIndicators, rolloutGrade, rolloutState, worseSeverity } from './service-grade.js';
import type { StatusPorts } from './status.js';
import { resolveTarget } from '../shared/target.js';

interface Row {
  cells: string[];
  severity: Severity;
}

/** The HEALTH column: the indicators that are not healthy, with their values, or why there are none. */
function healthCell(report: HealthReport | undefined): string {
  if (!report) return '-';
  if (!report.ok) return `metrics unavailable (${report.reason})`;
  const bad = report.readings.filter((r) => r.grade && r.grade !== 'healthy');
  if (bad.length === 0) return 'healthy';
  return `${report.worst}: ${bad.map((r) => `${r.name} ${formatValue(r.indicator.unit, r.value!)}`).join(', ')}`;
}

async function row(ctx: ActionContext<StatusPorts>, name: string): Promise<Row> {
  try {
    const target = resolveTarget(ctx, name);
    const [d, report] = await Promise.all([ctx.ports.kubernetes.readDeployment(target.ref), readIndicators(ctx, target)]);
    const severity = worseSeverity(rolloutGrade(d, 0), gradeSeverity(report?.ok ? report.worst : undefined));
    const cells = [name, `${d.ready}/${d.desired}`, String(d.revision ?? '?'), d.containers.map((c) => c.image).join(','), rolloutState(d), healthCell(report)];
    return { cells, severity };
  } catch (error) {
    // One unreadable deployment should not blank the whole overview.
    if (!isUserError(error)) ctx.log.warn({ err: error, service: name }, 'status: cannot read deployment');
    const why = isUserError(error) ? error.message : 'cannot read the deployment (see the bot log)';
    return { cells: [name, '-', '-', '-', why, '-'], severity: 'critical' };
  }
}

/** `status` without a service: one row per service, each graded by its worst signal, and the card by the worst row. */
export async function statusOverview(ctx: ActionContext<StatusPorts>): Promise<Message> {
  const services = Object.entries(ctx.catalog.services)
    .filter(([, s]) => ctx.env in s.envs)
    .map(([name]) => name);
  const rows = await Promise.all(services.map((name) => row(ctx, name)));
  const severity = rows.reduce<Severity>((worst, r) => worseSeverity(worst, r.severity), 'success');
  return {
    title: `Services in ${ctx.env}`,
    severity,
    text: services.length === 0 ? `No catalog service runs in ${ctx.env}.` : undefined,
    ...(rows.length > 0
      ? {
          table: {
            columns: [{ header: 'SERVICE' }, { header: 'READY', align: 'right' as const }, { header: 'REVISION', align: 'right' as const }, { header: 'IMAGE' }, { header: 'ROLLOUT' }, { header: 'HEALTH' }],
            rows: rows.map((r) => r.cells),
          },
        }
      : {}),
  };
}
