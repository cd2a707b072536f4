import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redactText } from './redact.js';
import { maskSecretsIn } from './secret-values.js';
import type { ActorPlatform } from './request.js';

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
  actor: { id: string; name: string; platform: ActorPlatform };
  conversation?: { id: string; name?: string; teamId?: string; tenantId?: string };
  text?: string;
  action?: string;
  service?: string;
  env?: string;
  decision?: 'allowed' | 'denied' | 'parse_error' | 'dry_run' | 'cancelled' | 'refused' | 'pending_approval' | 'approved' | 'rejected' | 'expired';
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

/** What `audit` asks for: newest first, at most `limit`, nothing older than `sinceMs` ago. */
export interface AuditQuery {
  service?: string;
  /** Matched against the actor's id or name. */
  actor?: string;
  sinceMs?: number;
  limit: number;
}

export interface AuditReader {
  query(query: AuditQuery): Promise<StoredAuditEntry[]>;
}

/**
 * Secrets never reach the trail: command text, results and every string in the
 * detail pass through the same redaction as log tails before they are written.
 */
export function redactEntry(entry: AuditEntry): AuditEntry {
  return {
    ...entry,
    ...(entry.text === undefined ? {} : { text: redactText(entry.text) }),
    ...(entry.result === undefined ? {} : { result: redactText(entry.result) }),
    ...(entry.detail === undefined ? {} : { detail: redactValue(entry.detail) as Record<string, unknown> }),
  };
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)]));
  return value;
}

/**
 * Appends to a Redis stream (append-only, capped approximately) and logs the same
 * record, so the trail survives both a lost log shipper and a flushed Redis.
 */
export class RedisAuditSink implements AuditSink, AuditReader {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly log: Logger,
    private readonly maxLength = 100_000,
  ) {}

  async record(raw: AuditEntry): Promise<void> {
    // Masked whole as well: an actor's display name or a conversation name can be anything.
    const entry = maskSecretsIn(redactEntry(raw));
    const at = new Date().toISOString();
    this.log.info({ audit: entry }, `audit ${entry.type}`);
    await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLength), '*', 'at', at, 'entry', JSON.stringify(entry));
  }

  /** Newest last. */
  async read(count = 100): Promise<StoredAuditEntry[]> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', count);
    return rows.reverse().map(storedEntry);
  }

  /**
   * Newest first. Reads backwards in pages from the newest record, stopping at the
   * `since` boundary (stream ids are millisecond timestamps), at `limit` matches,
   * or after `maxScanned` records so one query cannot walk a huge stream.
   */
  async query(query: AuditQuery, maxScanned = 20_000): Promise<StoredAuditEntry[]> {
    const floor = query.sinceMs === undefined ? '-' : String(Math.max(0, Date.now() - query.sinceMs));
    const found: StoredAuditEntry[] = [];
    let end = '+';
    let scanned = 0;
    while (found.length < query.limit && scanned < maxScanned) {
      const rows = await this.redis.xrevrange(this.key, end, floor, 'COUNT', 500);
      if (rows.length === 0) break;
      for (const row of rows) {
        const entry = storedEntry(row);
        if (matchesQuery(entry, query)) found.push(entry);
        if (found.length >= query.limit) break;
      }
      scanned += rows.length;
      end = `(${rows[rows.length - 1]![0]}`;
    }
    return found;
  }
}

function storedEntry([id, fields]: [string, string[]]): StoredAuditEntry {
  const map = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  return { id, at: map.get('at') ?? '', ...(JSON.parse(map.get('entry') ?? '{}') as AuditEntry) };
}

function matchesQuery(entry: StoredAuditEntry, query: AuditQuery): boolean {
  if (query.service !== undefined && entry.service !== query.service) return false;
  if (query.actor !== undefined) {
    const who = query.actor.replace(/^@/, '').toLowerCase();
    if (entry.actor?.id.toLowerCase() !== who && entry.actor?.name.toLowerCase() !== who) return false;
  }
  return true;
}
