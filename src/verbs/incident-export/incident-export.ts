import { z } from 'zod';
import type { Action, ActionContext } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import type { EvidenceRecord } from '../../core/evidence-record.js';
import { type EvidencePorts, evidenceReader } from '../history/evidence.js';
import type { RevisionReader } from '../shared/kubernetes-ports.js';
import { resolveTarget } from '../shared/target.js';
import { exportMarkdown } from './export-markdown.js';
import type { FiredAlertsReader } from './fired-alerts.js';

export { exportMarkdown } from './export-markdown.js';

export const IncidentExportArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose rollback evidence to print').register(argMeta, { positional: true, kind: 'service' }),
});
export type IncidentExportArgs = z.infer<typeof IncidentExportArgs>;

export type IncidentExportPorts = EvidencePorts & {
  /** The deployment's revisions, for the change cause of each rollback's from and to. */
  kubernetes?: RevisionReader;
  /** Absent when the bot keeps no incidents (no alert receiver wired). */
  firedAlerts?: FiredAlertsReader;
};

/**
 * The change cause of every revision the records name, per env. A revision kubectl has
 * since reused (rolling back to 6 renumbers its ReplicaSet) or an unreadable deployment
 * leaves the cause out; the export never fails for want of it.
 */
async function changeCauses(ctx: ActionContext<IncidentExportPorts>, service: string, records: readonly EvidenceRecord[]) {
  const causes = new Map<string, Map<string, string>>();
  const reader = ctx.ports.kubernetes;
  const spec = ctx.catalog.services[service]!;
  for (const env of new Set(records.filter((r) => r.via === 'kubernetes').map((r) => r.env))) {
    const envSpec = spec.envs[env];
    if (!reader || !envSpec) continue;
    try {
      const revisions = await reader.listRevisions({ namespace: envSpec.namespace, deployment: envSpec.deployment });
      causes.set(env, new Map(revisions.flatMap((r) => (r.changeCause ? [[String(r.revision), r.changeCause] as const] : []))));
    } catch (error) {
      ctx.log.warn({ err: error, env }, 'incident export could not read the revisions; change causes left out');
    }
  }
  return causes;
}

export const incidentExport: Action<IncidentExportArgs, IncidentExportPorts> = {
  name: 'incident export',
  summary: "Print a service's rollback evidence, the alerts that fired and the change causes as Markdown for the follow-up issue",
  args: IncidentExportArgs,
  risk: 'read',
  examples: ['incident export maestro-orchestrator'],
  async execute(ctx, args) {
    resolveTarget(ctx, args.service);
    const records = await evidenceReader(ctx).list(args.service, 50);
    const [fired, causes] = await Promise.all([ctx.ports.firedAlerts?.fired(args.service) ?? Promise.resolve([]), changeCauses(ctx, args.service, records)]);
    return done({
      title: `Follow-up issue for ${args.service}: ${records.length} rollback${records.length === 1 ? '' : 's'}, ${fired.length} alert${fired.length === 1 ? '' : 's'} fired`,
      severity: 'info',
      code: exportMarkdown(args.service, records, { fired, causes }),
    });
  },
};
