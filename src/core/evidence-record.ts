/**
 * The runbook's evidence record of a rollback: written by verification, read by the
 * `history` and `incident export` verbs. Here, beside neither, so both import it
 * without importing each other.
 */

/**
 * A Kubernetes rollback's revisions as `kubectl rollout history` shows them: rolling
 * back from 7 to the template of 6 makes that template revision 8.
 */
export interface EvidenceRevision {
  from: string;
  /** The revision whose template was copied back in (`--to-revision`). */
  restored: string;
  /** The revision the deployment ended at, read back after the rollout; absent when never read back (a failed job). */
  resulting?: string;
}

/** The runbook's "Evidence & Follow-up" record of one rollback, whatever path it took and however it ended. */
export interface EvidenceRecord {
  id: string;
  service: string;
  env: string;
  via: 'kubernetes' | 'github';
  at: string;
  actor: string;
  reason?: string;
  revision?: EvidenceRevision;
  /** From the image that ran to the one at the resulting revision (read back), else the restored template's. */
  image?: { from: string; to: string };
  jobNumber?: number;
  /** The GitHub Actions run, for a rollback through cd-rollback.yml. */
  runUrl?: string;
  /** 'failed': the rollback itself did not complete (no verification follows); verdictDetail says why. */
  verdict: 'pending' | 'pass' | 'regression' | 'not verified' | 'failed';
  verdictAt?: string;
  verdictDetail?: string;
}

/** A record to write: `failure` (why the rollback failed) makes it a failed one, otherwise it awaits verification. */
/** The verb's part of a record (Action.evidence): what it planned and what its facts say. */
export type VerbEvidence = Pick<EvidenceRecord, 'via' | 'revision' | 'image' | 'runUrl'>;

export type NewEvidence = Omit<EvidenceRecord, 'id' | 'at' | 'verdict' | 'verdictAt' | 'verdictDetail'> & { at?: string; failure?: string };

export interface EvidenceReader {
  /** Newest first. */
  list(service: string, limit?: number): Promise<EvidenceRecord[]>;
}

/** `7 → 8 (the template of revision 6)`, kubectl's numbering; `7 → ? (...)` when the result was never read back. */
export function revisionText(r: EvidenceRevision): string {
  return `${r.from} → ${r.resulting ?? '?'} (the template of revision ${r.restored})`;
}

/** The verdict with its detail: `pass (held for 10m)`, `failed (the rollout ...)`. */
export function verdictText(r: EvidenceRecord): string {
  return `${r.verdict}${r.verdictDetail ? ` (${r.verdictDetail})` : ''}`;
}

/** One line per fact, as the drill log (drills/maestro-cd-rollback-drill.md) records them. */
export function evidenceLines(r: EvidenceRecord): string[] {
  return [
    `service: ${r.service} (${r.env}), via ${r.via === 'github' ? 'GitHub Actions' : 'Kubernetes'}`,
    ...(r.revision ? [`revision: ${revisionText(r.revision)}`] : []),
    ...(r.image ? [`image: ${r.image.from} → ${r.image.to}`] : []),
    `time: ${r.at}`,
    `who: ${r.actor}`,
    `why: ${r.reason ?? '(no reason given)'}`,
    r.verdict === 'failed' ? `outcome: rollback failed: ${r.verdictDetail ?? '(no reason recorded)'}` : `verification: ${verdictText(r)}`,
    ...(r.runUrl ? [`run: ${r.runUrl}`] : []),
    ...(r.jobNumber ? [`job: ${r.jobNumber}`] : []),
  ];
}
