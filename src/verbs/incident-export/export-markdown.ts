import { type EvidenceRecord, revisionText, verdictText } from '../../core/evidence-record.js';
import { tag } from '../history/evidence.js';
import type { FiredAlert } from './fired-alerts.js';

/** What the bot knows beside the evidence records, for the follow-up issue. */
export interface ExportFacts {
  /** The alerts that fired (the incident store), earliest first. */
  fired: readonly FiredAlert[];
  /** Change cause (kubernetes.io/change-cause) by env and revision, as `kubectl rollout history` shows it. */
  causes: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A commit SHA the change cause names (`release v2.8.0 (3f2a9c1)`), if it names one. */
function shaIn(text: string | undefined): string | undefined {
  return text ? /\b[0-9a-f]{7,40}\b/.exec(text)?.[0] : undefined;
}

function causeOf(facts: ExportFacts, r: EvidenceRecord, revision: string | undefined): string | undefined {
  return revision ? facts.causes.get(r.env)?.get(revision) : undefined;
}

/** `release v2.8.0: budget policy engine → release v2.7.3: queue backpressure hotfix`, from the revisions rolled from and to. */
function causeText(facts: ExportFacts, r: EvidenceRecord): string {
  if (!r.revision) return '-';
  const from = causeOf(facts, r, r.revision.from);
  // kubectl rollout undo copies the restored template's change cause to the resulting revision; either says it.
  const to = causeOf(facts, r, r.revision.resulting) ?? causeOf(facts, r, r.revision.restored);
  return from || to ? `${from ?? '?'} → ${to ?? '?'}` : '-';
}

function alertLines(service: string, fired: readonly FiredAlert[]): string[] {
  if (fired.length === 0) return [`No alert of ${service} is in the bot's incident store (they are kept 30 days).`];
  return [
    '| Alert | Env | Incident | Severity | Started (UTC) | Resolved (UTC) |',
    '|---|---|---|---|---|---|',
    ...fired.map(
      (a) => `| ${[a.alertname, a.env, a.incident === undefined ? '-' : String(a.incident), a.severity, a.startsAt, a.resolvedAt ?? 'still firing'].map(cell).join(' | ')} |`,
    ),
  ];
}

function followUp(records: readonly EvidenceRecord[], facts: ExportFacts): string[] {
  const last = records[0];
  const offendingCause = last ? causeOf(facts, last, last.revision?.from) : undefined;
  const offendingTag = last?.image ? tag(last.image.from) : undefined;
  const sha = shaIn(offendingCause);
  const names = [...new Set(facts.fired.map((a) => `\`${a.alertname}\` (${a.env}${a.incident === undefined ? '' : `, incident ${a.incident}`})`))];
  return [
    offendingTag
      ? `- [ ] Offending release: \`${offendingTag}\`${offendingCause ? ` (${offendingCause})` : ''}; commit SHA: \`${sha ?? '<sha>'}\``
      : '- [ ] Offending commit SHA: `<sha>`',
    names.length > 0 ? `- [ ] Failing alerts: ${names.join(', ')}` : '- [ ] Failing alerts: none reached the bot; list any that fired elsewhere',
    '- [ ] Root cause and fix',
    '- [ ] Drill log updated (drills/maestro-cd-rollback-drill.md)',
  ];
}

/** The follow-up issue body the runbook asks for ("Evidence & Follow-up"), as Markdown. */
export function exportMarkdown(service: string, records: readonly EvidenceRecord[], facts: ExportFacts, now = new Date()): string {
  const lines = [
    `## Rollback evidence: ${service}`,
    '',
    `Exported by maestro-bot at ${now.toISOString()}. Paste into the follow-up issue and into drills/maestro-cd-rollback-drill.md.`,
    '',
    '| Time (UTC) | Env | Via | Revision (from → resulting) | Image tag | Change cause | Who | Why | Outcome |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of records) {
    lines.push(
      `| ${[
        r.at,
        r.env,
        r.via === 'github' ? `GitHub Actions${r.runUrl ? ` ([run](${r.runUrl}))` : ''}` : 'Kubernetes',
        r.revision ? revisionText(r.revision) : '-',
        r.image ? `${tag(r.image.from)} → ${tag(r.image.to)}` : '-',
        causeText(facts, r),
        r.actor,
        r.reason ?? '-',
        verdictText(r),
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  if (records.length === 0) lines.push('| (no rollback recorded) | | | | | | | | |');
  lines.push('', '### Alerts that fired', '', ...alertLines(service, facts.fired), '', '### Follow-up', '', ...followUp(records, facts));
  return lines.join('\n');
}
