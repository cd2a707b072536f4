import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditSink } from '../core/audit.js';
import type { EvidenceReader, EvidenceRecord, EvidenceRevision, NewEvidence } from '../core/evidence-record.js';
import type { Actor, Conversation } from '../core/request.js';

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
