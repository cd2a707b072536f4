import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Plan } from '../core/action.js';
import type { MessageRef } from '../core/chat-port.js';
import type { Actor, Conversation } from '../core/request.js';
import { type ClaimOnce, claimOnce } from './claim-once.js';

/** A planned change waiting for its Confirm button (or console prompt). */
export interface PendingConfirmation {
  id: string;
  requestId: string;
  text: string;
  verb: string;
  args: unknown;
  env: string;
  reason?: string;
  plan: Plan;
  actor: Actor;
  conversation: Conversation;
  threadId?: string;
  ref?: MessageRef;
  createdAt: string;
}

export type ClaimResult = ClaimOnce<PendingConfirmation>;

/**
 * Pending confirmations live in Redis, not in the button: the button's value is
 * only an opaque id, so nothing a client sends back can alter what runs.
 */
export class ConfirmationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  newId(): string {
    return `c${randomBytes(9).toString('base64url')}`;
  }

  async save(pending: PendingConfirmation): Promise<void> {
    await this.redis.set(this.key(pending.id), JSON.stringify(pending), 'PX', this.ttlMs);
  }

  async get(id: string): Promise<PendingConfirmation | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as PendingConfirmation) : undefined;
  }

  /** Marks the confirmation used, once: `outcome` says by whom and how ("confirmed by Ada"). */
  async claim(id: string, outcome: string): Promise<ClaimResult> {
    if (!/^c[A-Za-z0-9_-]{12}$/.test(id)) return { status: 'missing' };
    return claimOnce<PendingConfirmation>(this.redis, this.key(id), outcome, this.ttlMs);
  }

  private key(id: string): string {
    return `${this.prefix}:confirm:${id}`;
  }
}
