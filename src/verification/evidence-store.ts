import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditSink } from '../core/audit.js';
import type { Actor, Conversation } from '../core/request.js';

/** The runbook's "Evidence & Follow-up" record of one rollback, whatever path it took. */
export interface EvidenceRecord {
  id: string;
  service: string;
  env: string;
  via: 'kubernetes' | 'github';
  at: string;
  actor: string;
  reason?: string;
  revision?: { from: string; to: string };
  image?: { from: string; to: string };
  jobNumber?: number;
  /** The GitHub Actions run, for a rollback through cd-rollback.yml. */
  runUrl?: string;
  verdict: 'pending' | 'pass' | 'regression' | 'not verified';
  verdictAt?: string;
  verdictDetail?: string;
}

export type NewEvidence = Omit<EvidenceRecord, 'id' | 'at' | 'verdict'> & { at?: string };

export interface EvidenceReader {
  /** Newest first. */
  list(service: string, limit?: number): Promise<EvidenceRecord[]>;
}

const KEEP = 200;

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

  async record(input: NewEvidence, who: { actor: Actor; conversation?: Conversation; requestId: string }): Promise<EvidenceRecord> {
    const record: EvidenceRecord = { ...input, id: `ev-${randomBytes(5).toString('hex')}`, at: input.at ?? new Date().toISOString(), verdict: 'pending' };
    await this.redis
      .multi()
      .set(this.recordKey(record.id), JSON.stringify(record))
      .lpush(this.listKey(record.service), record.id)
      .ltrim(this.listKey(record.service), 0, KEEP - 1)
      .exec();
    await this.audited(record, who);
    return record;
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
    return text ? (JSON.parse(text) as EvidenceRecord) : undefined;
  }

  async list(service: string, limit = 20): Promise<EvidenceRecord[]> {
    const ids = await this.redis.lrange(this.listKey(service), 0, limit - 1);
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(...ids.map((id) => this.recordKey(id)));
    return texts.filter((t): t is string => t !== null).map((t) => JSON.parse(t) as EvidenceRecord);
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

/** One line per fact, as the drill log (drills/maestro-cd-rollback-drill.md) records them. */
export function evidenceLines(r: EvidenceRecord): string[] {
  return [
    `service: ${r.service} (${r.env}), via ${r.via === 'github' ? 'GitHub Actions' : 'Kubernetes'}`,
    ...(r.revision ? [`revision: ${r.revision.from} → ${r.revision.to}`] : []),
    ...(r.image ? [`image: ${r.image.from} → ${r.image.to}`] : []),
    `time: ${r.at}`,
    `who: ${r.actor}`,
    `why: ${r.reason ?? '(no reason given)'}`,
    `verification: ${r.verdict}${r.verdictDetail ? ` (${r.verdictDetail})` : ''}`,
    ...(r.runUrl ? [`run: ${r.runUrl}`] : []),
    ...(r.jobNumber ? [`job: ${r.jobNumber}`] : []),
  ];
}
