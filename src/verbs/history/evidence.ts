import type { ActionContext } from '../../core/action.js';
import type { Message } from '../../core/message.js';
import type { EvidenceReader } from '../../core/evidence-record.js';
import { resolveTarget } from '../shared/target.js';

/** The rollback evidence of a service, where the runbook's drill log would keep it. */
export interface EvidencePorts {
  evidence?: EvidenceReader;
}

export function evidenceReader(ctx: ActionContext<EvidencePorts>): EvidenceReader {
  if (!ctx.ports.evidence) throw new Error('no evidence store is wired into the ports');
  return ctx.ports.evidence;
}

/** `history <service> --evidence`: every recorded rollback, failed ones included, newest first. */
export async function evidenceMessage(ctx: ActionContext<EvidencePorts>, service: string): Promise<Message> {
  resolveTarget(ctx, service);
  const records = await evidenceReader(ctx).list(service, 50);
  if (records.length === 0) {
    return { title: `Rollback evidence of ${service}`, severity: 'info', text: 'No rollback has been recorded yet.' };
  }
  // REVISION as kubectl rollout history numbers it: from → resulting (restored template).
  const rows: string[][] = [];
  for (const r of records) {
    rows.push([
      r.at.replace(/\.\d{3}Z$/, 'Z'),
      r.env,
      r.via === 'github' ? 'github' : 'k8s',
      r.revision ? `${r.revision.from} → ${r.revision.resulting ?? '?'} (template ${r.revision.restored})` : '-',
      r.image ? `${tag(r.image.from)} → ${tag(r.image.to)}` : '-',
      r.actor,
      r.verdict,
      r.reason ?? '-',
      r.verdictDetail ?? '-',
    ]);
  }
  const failed = records.filter((r) => r.verdict === 'failed').length;
  return {
    title: `Rollback evidence of ${service}`,
    severity: 'info',
    text: `${records.length} rollback${records.length === 1 ? '' : 's'} recorded${failed > 0 ? ` (${failed} failed)` : ''}, newest first. incident export ${service} prints them for the follow-up issue.`,
    table: { columns: ['TIME', 'ENV', 'VIA', 'REVISION', 'IMAGE', 'WHO', 'VERDICT', 'WHY', 'DETAIL'].map((header) => ({ header })), rows },
  };
}

/** `ghcr.io/intelgraph/maestro-orchestrator:v2.8.0` → `v2.8.0`; a bare tag stays as it is. */
export function tag(image: string): string {
  return image
    .split(', ')
    .map((i) => (i.includes(':') ? i.slice(i.lastIndexOf(':') + 1) : i))
    .join(', ');
}
