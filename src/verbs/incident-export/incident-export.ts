import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { type EvidenceRecord, revisionText, verdictText } from '../../core/evidence-record.js';
import { type EvidencePorts, evidenceReader } from '../history/evidence.js';
import { resolveTarget } from '../shared/target.js';

export const IncidentExportArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose rollback evidence to print').register(argMeta, { positional: true, kind: 'service' }),
});
export type IncidentExportArgs = z.infer<typeof IncidentExportArgs>;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The follow-up issue body the runbook asks for ("Evidence & Follow-up"), as Markdown. */
export function exportMarkdown(service: string, records: readonly EvidenceRecord[], alerts: readonly string[], now = new Date()): string {
  const lines = [
    `## Rollback evidence: ${service}`,
    '',
    `Exported by maestro-bot at ${now.toISOString()}. Paste into the follow-up issue and into drills/maestro-cd-rollback-drill.md.`,
    '',
    '| Time (UTC) | Env | Via | Revision (from → resulting) | Image tag | Who | Why | Outcome |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of records) {
    lines.push(
      `| ${[
        r.at,
        r.env,
        r.via === 'github' ? `GitHub Actions${r.runUrl ? ` ([run](${r.runUrl}))` : ''}` : 'Kubernetes',
        r.revision ? revisionText(r.revision) : '-',
        r.image ? `${r.image.from} → ${r.image.to}` : '-',
        r.actor,
        r.reason ?? '-',
        verdictText(r),
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  if (records.length === 0) lines.push('| (no rollback recorded) | | | | | | | |');
  lines.push(
    '',
    '### Follow-up',
    '',
    '- [ ] Offending commit SHA: `<sha>`',
    `- [ ] Failing alerts: ${alerts.length > 0 ? alerts.map((a) => `\`${a}\``).join(', ') : '<alerts>'} (keep those that fired)`,
    '- [ ] Root cause and fix',
    '- [ ] Drill log updated (drills/maestro-cd-rollback-drill.md)',
  );
  return lines.join('\n');
}

export const incidentExport: Action<IncidentExportArgs, EvidencePorts> = {
  name: 'incident export',
  summary: "Print a service's rollback evidence as Markdown for the follow-up issue",
  args: IncidentExportArgs,
  risk: 'read',
  examples: ['incident export maestro-orchestrator'],
  async execute(ctx, args) {
    resolveTarget(ctx, args.service);
    const records = await evidenceReader(ctx).list(args.service, 50);
    const alerts = Object.entries(ctx.catalog.alerts)
      .filter(([, a]) => a.service === args.service)
      .map(([name]) => name);
    return done({
      title: `Follow-up issue for ${args.service}: ${records.length} rollback${records.length === 1 ? '' : 's'}`,
      severity: 'info',
      code: exportMarkdown(args.service, records, alerts),
    });
  },
};
