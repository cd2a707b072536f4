import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { AuditEntry } from '../core/audit.js';
import type { ChatPort, MessageRef } from '../core/chat-port.js';
import type { TeamAliasesOf } from '../core/directory-lookup.js';
import { type GroupsOf, NO_GROUPS, withLookupFailure } from '../core/group-lookup.js';
import { rolesOf } from '../config/policy.js';
import type { Actor, Conversation, Platform } from '../core/request.js';
import type { ApprovalStore, PendingApproval } from './approval-store.js';
import { approvalMessage, clock } from './approval-card.js';
import type { AuditFields, AuditSubject } from './audit.js';
import type { CommandResult } from './command-result.js';

export interface ApprovalDeskDeps {
  store: ApprovalStore;
  catalog: Catalog;
  log: Logger;
  /** Slack user groups of an approver, when the adapter can look them up. */
  groupsOf?: GroupsOf;
  /** Other ids the approver's team is known by (Teams: its AAD group id). */
  teamAliasesOf?: TeamAliasesOf;
  audit(request: AuditSubject, entry: AuditFields): Promise<void>;
  /** Runs the approved plan, exactly once: the approval id is the job's idempotency key. */
  enqueue(pending: PendingApproval, chat: ChatPort, approver: Actor, requestId: string): Promise<CommandResult>;
  now?: () => number;
}

/**
 * Two-person approval: the requester's plan waits on a card until someone else who
 * holds one of the rule's roles approves it, someone rejects it, or it expires.
 * Every refusal leaves the request untouched, so a wrong press costs nothing.
 */
export class ApprovalDesk {
  private readonly now: () => number;

  constructor(private readonly deps: ApprovalDeskDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Posts the waiting card and stores the request; the result carries the id the buttons hold. */
  async open(pending: Omit<PendingApproval, 'ref'>, chat: ChatPort): Promise<{ ref: MessageRef }> {
    const ref = await chat.post(pending.conversation.id, approvalMessage(pending, 'waiting'), { threadId: pending.threadId });
    await this.deps.store.save({ ...pending, ref });
    return { ref };
  }

  async approve(id: string, approver: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    const checked = await this.check(id, approver, chat, from);
    if ('kind' in checked) return checked;
    const { pending } = checked;
    if (pending.actor.platform === approver.platform && pending.actor.id === approver.id) {
      return this.refuse(pending, approver, 'you cannot approve your own request; another person must');
    }
    const lookup = (await this.deps.groupsOf?.(approver)) ?? NO_GROUPS;
    const where = from ?? pending.conversation;
    const roles = rolesOf(this.deps.catalog.policy, approver, lookup.groups, where, (await this.deps.teamAliasesOf?.(where)) ?? []);
    if (!pending.approvers.some((r) => roles.includes(r))) {
      return this.refuse(pending, approver, withLookupFailure(`approving needs the role ${pending.approvers.join(' or ')} (rule ${pending.rule})`, lookup));
    }
    const claim = await this.deps.store.claim(id, `approved by ${approver.name}`);
    if (claim.status !== 'claimed') return handled(claim);
    await this.deps.audit(subject(claim.pending, approver, requestId), {
      type: 'approval',
      decision: 'approved',
      ...target(claim.pending),
      detail: { rule: claim.pending.rule, requester: claim.pending.actor.name, approver: approver.name, approvalId: id },
    });
    return this.deps.enqueue(claim.pending, chat, approver, requestId);
  }

  /** The requester may withdraw their own request; anyone else needs an approver role. */
  async reject(id: string, actor: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    const checked = await this.check(id, actor, chat, from);
    if ('kind' in checked) return checked;
    const { pending } = checked;
    const own = pending.actor.platform === actor.platform && pending.actor.id === actor.id;
    if (!own) {
      const lookup = (await this.deps.groupsOf?.(actor)) ?? NO_GROUPS;
      const where = from ?? pending.conversation;
      const roles = rolesOf(this.deps.catalog.policy, actor, lookup.groups, where, (await this.deps.teamAliasesOf?.(where)) ?? []);
      if (!pending.approvers.some((r) => roles.includes(r))) {
        const why = withLookupFailure(`rejecting needs the role ${pending.approvers.join(' or ')}, or being the requester`, lookup);
        return this.refuse(pending, actor, why, 'Not rejected');
      }
    }
    const claim = await this.deps.store.claim(id, `rejected by ${actor.name}`);
    if (claim.status !== 'claimed') return handled(claim);
    if (claim.pending.ref) await chat.update(claim.pending.ref, approvalMessage(claim.pending, 'rejected', { by: actor.name }));
    await this.deps.audit(subject(claim.pending, actor, requestId), {
      type: 'approval',
      decision: 'rejected',
      ...target(claim.pending),
      detail: { rule: claim.pending.rule, requester: claim.pending.actor.name, rejectedBy: actor.name, approvalId: id },
    });
    return { kind: 'answered' };
  }

  /**
   * Marks every request whose window has closed as expired and edits its card. Any
   * replica may run it at any time; the atomic claim makes each expiry happen once.
   */
  async sweep(chats: (platform: Platform) => ChatPort | undefined): Promise<number> {
    let expired = 0;
    for (const id of await this.deps.store.due(this.now())) {
      const pending = await this.deps.store.get(id);
      if (!pending) {
        await this.deps.store.forget(id);
        continue;
      }
      const chat = chats(pending.ref?.platform ?? pending.conversation.platform);
      if (!chat) continue;
      if (await this.expire(pending, chat)) expired++;
    }
    return expired;
  }

  /** Sweeps on a timer until the returned function is called. */
  startSweeper(chats: (platform: Platform) => ChatPort | undefined, intervalMs = 15_000): () => void {
    const timer = setInterval(() => {
      this.sweep(chats).catch((error: unknown) => this.deps.log.warn({ err: error }, 'approval expiry sweep failed'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Loads the request and refuses presses that cannot count: unknown, from elsewhere, or too late. */
  private async check(
    id: string,
    actor: Actor,
    chat: ChatPort,
    from: Conversation | undefined,
  ): Promise<{ pending: PendingApproval } | CommandResult> {
    const pending = await this.deps.store.get(id);
    if (!pending) return { kind: 'failed', error: 'This approval request does not exist or is long gone; run the command again.' };
    if (from && (pending.conversation.platform !== from.platform || pending.conversation.id !== from.id)) {
      this.deps.log.warn({ approvalId: id, from: from.id, platform: from.platform, actor: actor.id }, 'approval replayed from another conversation');
      return { kind: 'failed', error: 'This button belongs to another conversation; nothing was done.' };
    }
    if (this.now() >= pending.expiresAt) {
      await this.expire(pending, chat);
      return { kind: 'failed', error: `This approval request expired at ${clock(pending.expiresAt)}; nothing was done. Run the command again.` };
    }
    return { pending };
  }

  private async expire(pending: PendingApproval, chat: ChatPort): Promise<boolean> {
    const claim = await this.deps.store.claim(pending.id, 'expired');
    if (claim.status !== 'claimed') return false;
    if (pending.ref) await chat.update(pending.ref, approvalMessage(pending, 'expired'));
    await this.deps.audit(subject(pending, pending.actor, pending.requestId), {
      type: 'approval',
      decision: 'expired',
      ...target(pending),
      detail: { rule: pending.rule, approvalId: pending.id },
    });
    return true;
  }

  private async refuse(pending: PendingApproval, actor: Actor, why: string, outcome = 'Not approved'): Promise<CommandResult> {
    await this.deps.audit(subject(pending, actor, pending.requestId), {
      type: 'approval',
      decision: 'denied',
      ...target(pending),
      result: why,
      detail: { rule: pending.rule, approvalId: pending.id },
    });
    return { kind: 'failed', error: `${outcome}: ${why}. Nothing was done.` };
  }
}

function handled(claim: { status: 'already'; outcome: string } | { status: 'missing' }): CommandResult {
  if (claim.status === 'already') return { kind: 'failed', error: `This request was already handled (${claim.outcome}); nothing more was done.` };
  return { kind: 'failed', error: 'This approval request does not exist or is long gone; run the command again.' };
}

function subject(pending: PendingApproval, actor: Actor, requestId: string): AuditSubject {
  return { id: requestId, actor, conversation: pending.conversation, text: pending.text };
}

function target(pending: PendingApproval): Pick<AuditEntry, 'action' | 'service' | 'env'> {
  return { action: pending.verb, service: pending.plan.target.service, env: pending.env };
}
