import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Platform } from './request.js';

/** One audit record: who asked for what, what was decided, what happened. */
export interface AuditEntry {
  type:
    | 'command'
    | 'decision'
    | 'approval'
    | 'job.started'
    | 'job.finished'
    | 'job.failed'
    | 'change'
    | 'evidence';
  requestId: string;
  actor: { id: string; name: string; platform: Platform };
  conversation?: { id: string; name?: string; teamId?: string };
  text?: string;
  action?: string;
  service?: string;
  env?: string;
  decision?: 'allowed' | 'denied' | 'parse_error' | 'dry_run' | 'cancelled';
  /** Plan changes or anything else structured; must never hold secrets. */
  detail?: Record<string, unknown>;
  result?: string;
  jobId?: string;
  durationMs?: number;
}

export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: string;
  at: string;
}

/**
 * Appends to a Redis stream (append-only, capped approximately) and logs the same
 * record, so the trail survives both a lost log shipper and a flushed Redis.
 */
export class RedisAuditSink implements AuditSink {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly log: Logger,
    private readonly maxLength = 100_000,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const at = new Date().toISOString();
    this.log.info({ audit: entry }, `audit ${entry.type}`);
    await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLength), '*', 'at', at, 'entry', JSON.stringify(entry));
  }

  /** Newest last. */
  async read(count = 100): Promise<StoredAuditEntry[]> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', count);
    return rows.reverse().map(([id, fields]) => {
      const map = new Map<string, string>();
      for (let i = 0; i < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
      return { id, at: map.get('at') ?? '', ...(JSON.parse(map.get('entry') ?? '{}') as AuditEntry) };
    });
  }
}
