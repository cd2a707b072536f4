import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditSink } from '../core/audit.js';
import type { Actor, Conversation } from '../core/request.js';

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
export type NewEvidence = Omit<EvidenceRecord, 'id' | 'at' | 'verdict' | 'verdictAt' | 'verdictDetail'> & { at?: string; failure?: string };

export interface EvidenceReader {
  /** Newest first. */
  list(service: string, limit?: number): Promise<EvidenceRecord[]>;
}

const KEEP = 200;
/** How long a recordOnce key is remembered: longer than any job is kept or swept for. */
const ONCE_TTL_MS = 14 * 24 * 60 * 60_000;

/**
 * Redis holds a list of record ids per service and each record by id, so that the
 * verdict can be written in later; every write is also an 'evidence' audit record.
 */
export class EvidenceStore implements EvidenceReader {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly audit: AuditSink,
  ) {}

  private listKey(service: string): string {
    return `${this.prefix}:evidence:${service}`;
  }

  private recordKey(id: string): string {
    return `${this.prefix}:evidence:record:${id}`;
  }

  private onceKey(key: string): string {
    return `${this.prefix}:evidence:once:${key}`;
  }

  async record(input: NewEvidence, who: { actor: Actor; conversation?: Conversation; requestId: string }): Promise<EvidenceRecord> {
    const { failure, ...fields } = input;
    const at = input.at ?? new Date().toISOString();
    const record: EvidenceRecord = {
      ...fields,
      id: `ev-${randomBytes(5).toString('hex')}`,
      at,
      ...(failure === undefined ? { verdict: 'pending' as const } : { verdict: 'failed' as const, verdictAt: at, verdictDetail: failure }),
    };
    await this.redis
      .multi()
      .set(this.recordKey(record.id), JSON.stringify(record))
      .lpush(this.listKey(record.service), record.id)
      .ltrim(this.listKey(record.service), 0, KEEP - 1)
      .exec();
    await this.audited(record, who);
    return record;
  }

  /**
   * record(), at most once per key (a job id): every worker process hears of a failed
   * job, the first to claim it writes the record. Undefined when another one did.
   */
  async recordOnce(
    key: string,
    input: NewEvidence,
    who: { actor: Actor; conversation?: Conversation; requestId: string },
  ): Promise<EvidenceRecord | undefined> {
    const claimed = await this.redis.set(this.onceKey(key), '1', 'PX', ONCE_TTL_MS, 'NX');
    if (!claimed) return undefined;
    try {
      return await this.record(input, who);
    } catch (error) {
      // Let another process that hears of the job write it rather than lose it.
      await this.redis.del(this.onceKey(key)).catch(() => {});
      throw error;
    }
  }

  async setVerdict(
    id: string,
    verdict: EvidenceRecord['verdict'],
    detail: string,
    who: { actor: Actor; conversation?: Conversation; requestId: string },
  ): Promise<EvidenceRecord | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const next: EvidenceRecord = { ...current, verdict, verdictAt: new Date().toISOString(), verdictDetail: detail };
    await this.redis.set(this.recordKey(id), JSON.stringify(next));
    await this.audited(next, who);
    return next;
  }

  async get(id: string): Promise<EvidenceRecord | undefined> {
    const text = await this.redis.get(this.recordKey(id));
    return text ? stored(text) : undefined;
  }

  async list(service: string, limit = 20): Promise<EvidenceRecord[]> {
    const ids = await this.redis.lrange(this.listKey(service), 0, limit - 1);
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(...ids.map((id) => this.recordKey(id)));
    return texts.filter((t): t is string => t !== null).map(stored);
  }

  private async audited(record: EvidenceRecord, who: { actor: Actor; conversation?: Conversation; requestId: string }): Promise<void> {
    await this.audit.record({
      type: 'evidence',
      requestId: who.requestId,
      actor: who.actor,
      ...(who.conversation ? { conversation: who.conversation } : {}),
      action: 'rollback',
      service: record.service,
      env: record.env,
      result: record.verdict,
      detail: { ...record },
    });
  }
}

/**
 * Records written before the resulting revision was read back said `{ from, to }`, `to`
 * being the restored revision: read them as such, the resulting one unknown.
 */
function stored(text: string): EvidenceRecord {
  const record = JSON.parse(text) as EvidenceRecord;
  const revision = record.revision as (Partial<EvidenceRevision> & { from: string; to?: string }) | undefined;
  if (revision && revision.restored === undefined && revision.to !== undefined) {
    return { ...record, revision: { from: revision.from, restored: revision.to } };
  }
  return record;
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
