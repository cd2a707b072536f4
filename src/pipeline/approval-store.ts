import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type ClaimOnce, claimOnce } from './claim-once.js';
import type { PendingConfirmation } from './confirmations.js';

/**
 * A planned change waiting for a second person: the same request a confirmation
 * holds, plus the rule that asked for approval, who may give it, and until when.
 */
export interface PendingApproval extends PendingConfirmation {
  /** The policy rule that asked for approval, and the roles it accepts. */
  rule: string;
  approvers: string[];
  /** Epoch ms after which Approve is refused and the card says expired. */
  expiresAt: number;
}

export type ApprovalClaim = ClaimOnce<PendingApproval>;

/** How long a decided or expired request is remembered, so a late press is told what happened. */
const REMEMBER_MS = 24 * 3_600_000;

/**
 * Pending approvals live in Redis; the Approve and Reject buttons carry only the
 * opaque id. A sorted set by expiry lets any replica's sweep find the ones that
 * ran out and mark their cards.
 */
export class ApprovalStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  newId(): string {
    return `a${randomBytes(9).toString('base64url')}`;
  }

  /** Whether `id` has the shape of an id this store hands out; anything else is refused unread. */
  static isId(id: string): boolean {
    return /^a[A-Za-z0-9_-]{12}$/.test(id);
  }

  async save(pending: PendingApproval): Promise<void> {
    const ttl = Math.max(1, pending.expiresAt - Date.now()) + REMEMBER_MS;
    await this.redis
      .multi()
      .set(this.key(pending.id), JSON.stringify(pending), 'PX', ttl)
      .zadd(this.expiriesKey, pending.expiresAt, pending.id)
      .exec();
  }

  async get(id: string): Promise<PendingApproval | undefined> {
    if (!ApprovalStore.isId(id)) return undefined;
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as PendingApproval) : undefined;
  }

  /** Marks the request decided, once: `outcome` says how ("approved by bob", "expired"). */
  async claim(id: string, outcome: string): Promise<ApprovalClaim> {
    if (!ApprovalStore.isId(id)) return { status: 'missing' };
    return claimOnce<PendingApproval>(this.redis, this.key(id), outcome, REMEMBER_MS, { key: this.expiriesKey, member: id });
  }

  /** Ids whose approval window has closed by `now` and that nobody has decided yet. */
  async due(now: number, limit = 100): Promise<string[]> {
    return this.redis.zrangebyscore(this.expiriesKey, '-inf', now, 'LIMIT', 0, limit);
  }

  /** Drops an id from the expiry index (its record is gone or already decided). */
  async forget(id: string): Promise<void> {
    await this.redis.zrem(this.expiriesKey, id);
  }

  private get expiriesKey(): string {
    return `${this.prefix}:approval:expiries`;
  }

  private key(id: string): string {
    return `${this.prefix}:approval:${id}`;
  }
}
