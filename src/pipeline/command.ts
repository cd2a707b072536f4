import type { Logger } from 'pino';
import { APPROVAL_VERBS } from '../verbs/approvals/approve.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { ActionContext, Risk } from '../core/action.js';
import type { AuditEntry, AuditSink } from '../core/audit.js';
import type { ChatPort, MessageRef } from '../core/chat-port.js';
import { errorRef, isUserError } from '../core/errors.js';
import { MAX_COMMAND_LENGTH, type ParsedCommand, parseCommand } from '../core/grammar.js';
import { type GroupsOf, NO_GROUPS, withLookupFailure } from '../core/group-lookup.js';
import type { Metrics } from '../core/metrics.js';
import { denialText, evaluatePolicy, type PolicyDecision } from '../core/policy.js';
import { redactText } from '../core/redact.js';
import type { ActionRegistry } from '../core/registry.js';
import type { Actor, CommandRequest, Conversation, Platform } from '../core/request.js';
import type { ApprovalStore } from './approval-store.js';
import { ApprovalDesk, approvalMessage } from './approvals.js';
import { announceBreakGlass, type Pager } from './break-glass.js';
import type { ConfirmationStore, PendingConfirmation } from './confirmations.js';
import type { DelegatedVerb } from './delegated-verb.js';
import { internalErrorMessage, planMessage, userErrorMessage } from './replies.js';
import type { ActionJobData } from '../jobs/job-data.js';

/** What the job layer needs to run a confirmed plan: one shape, defined where jobs are. */
export type JobRequest = ActionJobData;

export interface JobSubmitter {
  submit(data: JobRequest, idempotencyKey: string): Promise<{ jobNumber: number; jobId: string; created: boolean }>;
}

export interface CommandHandlerDeps {
  registry: ActionRegistry;
  catalog: Catalog;
  audit: AuditSink;
  metrics: Metrics;
  log: Logger;
  confirmations: ConfirmationStore;
  jobs: JobSubmitter;
  /** Handed to actions as ctx.ports: built in src/app/compose.ts against what the verbs declare (PortsOf), checked there. */
  ports: object;
  /** Budget for a read-only action answered in the request. */
  readTimeoutMs?: number;
  /** The catalog's policy, enforced when given: who may do what, approvals, break-glass. */
  policy?: PolicyDeps;
  /** The cluster (kubeconfig context, or 'sandbox') named on every plan that changes Kubernetes objects. */
  cluster?: string;
}

export interface PolicyDeps {
  approvals: ApprovalStore;
  /** Paged when someone uses --break-glass. */
  pager?: Pager;
  /** Slack user groups of an actor (usergroups), for roles granted by group. */
  groupsOf?: GroupsOf;
  now?: () => number;
}

export type CommandResult =
  | { kind: 'answered' }
  /** `shown`: the error is already in the conversation for everyone, so adapters need not tell the presser again. */
  | { kind: 'failed'; error: string; shown?: true }
  | { kind: 'needs_confirmation'; confirmId: string; ref: MessageRef }
  | { kind: 'awaiting_approval'; approvalId: string; ref: MessageRef }
  | { kind: 'queued'; jobNumber: number; jobId: string; created: boolean; ref: MessageRef };

/**
 * The platform-neutral command path: parse strictly, answer read-only verbs in the
 * request, plan changing ones, ask for confirmation where the environment is
 * protected, and hand confirmed plans to the job queue. Adapters call it with the
 * ChatPort to answer through.
 */
export class CommandHandler {
  private readonly desk?: ApprovalDesk;
  private readonly delegated = new Map<string, DelegatedVerb>();

  constructor(private readonly deps: CommandHandlerDeps) {
    const policy = deps.policy;
    if (policy) {
      this.desk = new ApprovalDesk({
        store: policy.approvals,
        catalog: deps.catalog,
        log: deps.log,
        groupsOf: policy.groupsOf,
        now: policy.now,
        audit: (request, entry) => this.audit(request, entry),
        enqueue: (pending, chat, approver, requestId) => this.enqueue(pending, chat, approver, requestId, approver),
      });
    }
  }

  async handle(request: CommandRequest, chat: ChatPort): Promise<CommandResult> {
    const log = this.deps.log.child({ requestId: request.id, actor: request.actor.id, platform: request.actor.platform });
    let parsed: ParsedCommand;
    try {
      parsed = parseCommand(request.text, { registry: this.deps.registry, catalog: this.deps.catalog });
    } catch (error) {
      if (!isUserError(error)) throw error;
      this.deps.metrics.countCommand('(unparsed)', 'parse_error');
      await this.audit(request, { type: 'command', decision: 'parse_error', result: error.message });
      // Errors echo what was typed, and what was typed may be a pasted secret.
      const text = redactText(error.message);
      await chat.ephemeral(request.conversation.id, request.actor.id, userErrorMessage(text), {
        threadId: request.threadId,
      });
      return { kind: 'failed', error: text };
    }

    const { action, verb } = parsed;
    try {
      if (APPROVAL_VERBS.has(verb)) return await this.decideByCommand(request, parsed, chat);
      const delegated = this.delegated.get(verb);
      if (delegated) return await this.runDelegated(request, parsed, delegated, chat);
      const decision = await this.authorise(request.actor, verb, action.risk, parsed.service, parsed.env, request.conversation, parsed.breakGlass);
      if (decision?.kind === 'denied') return await this.deny(request, verb, parsed, decision, chat);
      if (action.risk === 'read') return await this.answer(request, parsed, chat, log);
      return await this.planChange(request, parsed, chat, log, decision);
    } catch (error) {
      return await this.fail(request, verb, error, chat, log);
    }
  }

  /**
   * A Confirm button or console "y": runs the stored plan, exactly once. `from` is
   * where the press came from; a confirmation id replayed in another conversation
   * is refused and left untouched.
   */
  async confirm(confirmId: string, actor: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    const refused = await this.refuseElsewhere(confirmId, from);
    if (refused) return refused;
    const forbidden = await this.refuseConfirmer(confirmId, actor, requestId);
    if (forbidden) return forbidden;
    const claim = await this.deps.confirmations.claim(confirmId, `confirmed by ${actor.name}`);
    if (claim.status !== 'claimed') {
      const text =
        claim.status === 'already'
          ? `This request was already handled (${claim.outcome}); nothing more was done.`
          : 'This request has expired or does not exist; run the command again.';
      return { kind: 'failed', error: text };
    }
    return this.enqueue(claim.pending, chat, actor, requestId);
  }

  async cancel(confirmId: string, actor: Actor, chat: ChatPort, from?: Conversation): Promise<CommandResult> {
    const refused = await this.refuseElsewhere(confirmId, from);
    if (refused) return refused;
    const claim = await this.deps.confirmations.claim(confirmId, `cancelled by ${actor.name}`);
    if (claim.status !== 'claimed') return { kind: 'failed', error: 'This request was already handled or has expired.' };
    const { pending } = claim;
    if (pending.ref) await chat.update(pending.ref, planMessage(pending.plan, 'cancelled', { actorName: actor.name }));
    await this.audit(
      { id: pending.requestId, actor, conversation: pending.conversation, text: pending.text },
      { type: 'decision', decision: 'cancelled', action: pending.verb, service: pending.plan.target.service, env: pending.env },
    );
    return { kind: 'answered' };
  }

  private async refuseElsewhere(confirmId: string, from: Conversation | undefined): Promise<CommandResult | undefined> {
    if (!from) return undefined;
    const pending = await this.deps.confirmations.get(confirmId);
    if (pending && (pending.conversation.platform !== from.platform || pending.conversation.id !== from.id)) {
      this.deps.log.warn({ confirmId, from: from.id, platform: from.platform }, 'confirmation replayed from another conversation');
      return { kind: 'failed', error: 'This button belongs to another conversation; nothing was done.' };
    }
    return undefined;
  }

  private async answer(request: CommandRequest, parsed: ParsedCommand, chat: ChatPort, log: Logger): Promise<CommandResult> {
    const { action, verb } = parsed;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timed out')), this.deps.readTimeoutMs ?? 20_000);
    try {
      const { message } = await action.execute(this.context(request, parsed, log, controller.signal), parsed.args, async () => {});
      // Help is for the asker; everything else is shared with the channel.
      if (verb === 'help') {
        await chat.ephemeral(request.conversation.id, request.actor.id, message, { threadId: request.threadId });
      } else {
        await chat.post(request.conversation.id, message, { threadId: request.threadId, answer: true });
      }
    } finally {
      clearTimeout(timer);
    }
    this.deps.metrics.countCommand(verb, 'ok');
    await this.audit(request, { type: 'command', decision: 'allowed', action: verb, service: parsed.service, env: parsed.env });
    return { kind: 'answered' };
  }

  private async planChange(
    request: CommandRequest,
    parsed: ParsedCommand,
    chat: ChatPort,
    log: Logger,
    decision?: PolicyDecision,
  ): Promise<CommandResult> {
    const { action, verb } = parsed;
    const planned = await action.plan!(this.context(request, parsed, log, new AbortController().signal), parsed.args);
    const { cluster } = this.deps;
    const plan = cluster && planned.target.namespace ? { ...planned, target: { ...planned.target, cluster } } : planned;
    const rule = decision ? { rule: decision.rule } : {};
    const base = { action: verb, service: plan.target.service, env: parsed.env, detail: { changes: plan.changes, ...rule } };

    if (parsed.dryRun) {
      await chat.post(request.conversation.id, planMessage(plan, 'dry-run'), { threadId: request.threadId });
      this.deps.metrics.countCommand(verb, 'dry_run');
      await this.audit(request, { type: 'command', decision: 'dry_run', ...base });
      return { kind: 'answered' };
    }

    if (decision?.kind === 'needs_approval' && this.desk && this.deps.policy) {
      const now = (this.deps.policy.now ?? Date.now)();
      const id = this.deps.policy.approvals.newId();
      const { ref } = await this.desk.open(
        {
          id,
          requestId: request.id,
          text: request.text,
          verb,
          args: parsed.args,
          env: parsed.env,
          reason: parsed.reason,
          plan,
          actor: request.actor,
          conversation: request.conversation,
          threadId: request.threadId,
          rule: decision.rule,
          approvers: decision.approvers,
          createdAt: new Date(now).toISOString(),
          expiresAt: now + decision.ttlMs,
        },
        chat,
      );
      this.deps.metrics.countCommand(verb, 'needs_confirmation');
      await this.audit(request, {
        type: 'decision',
        decision: 'pending_approval',
        ...base,
        detail: { ...base.detail, approvers: decision.approvers, approvalId: id },
      });
      return { kind: 'awaiting_approval', approvalId: id, ref };
    }

    const breakGlass = decision?.kind === 'allowed' && decision.breakGlass;
    if (breakGlass) {
      const reason = parsed.reason ?? '';
      const announced = await announceBreakGlass(
        { actor: request.actor, conversation: request.conversation, plan, env: parsed.env, reason, requestId: request.id },
        { catalog: this.deps.catalog, chat, pager: this.deps.policy?.pager, log },
      );
      await this.audit(request, {
        type: 'decision',
        decision: 'allowed',
        ...base,
        detail: { ...base.detail, breakGlass: true, reason, paged: announced.paged, noticeIn: announced.channels },
      });
    }

    const pending: PendingConfirmation = {
      id: this.deps.confirmations.newId(),
      requestId: request.id,
      text: request.text,
      verb,
      args: parsed.args,
      env: parsed.env,
      // The change cause carries the flag, so `history` shows the bypass too.
      reason: breakGlass ? `break-glass: ${parsed.reason}` : parsed.reason,
      plan,
      actor: request.actor,
      conversation: request.conversation,
      threadId: request.threadId,
      createdAt: new Date().toISOString(),
    };
    // --yes is a console convenience; in chat the confirmation is a button someone presses.
    const confirmedUpfront = parsed.yes && request.actor.platform === 'console';
    const needsConfirmation = this.deps.catalog.environments[parsed.env]?.protected === true && !confirmedUpfront;
    if (!breakGlass) await this.audit(request, { type: 'command', decision: 'allowed', ...base });

    if (needsConfirmation) {
      const ref = await chat.post(
        request.conversation.id,
        planMessage(plan, 'needs-confirmation', { confirmId: pending.id, actorName: request.actor.name }),
        { threadId: request.threadId },
      );
      await this.deps.confirmations.save({ ...pending, ref });
      this.deps.metrics.countCommand(verb, 'needs_confirmation');
      return { kind: 'needs_confirmation', confirmId: pending.id, ref };
    }

    await this.deps.confirmations.save(pending);
    await this.deps.confirmations.claim(pending.id, `confirmed by ${request.actor.name} (no confirmation needed)`);
    return this.enqueue(pending, chat, request.actor, request.id);
  }

  private async enqueue(
    pending: PendingConfirmation,
    chat: ChatPort,
    confirmer: Actor,
    requestId: string,
    approvedBy?: Actor,
  ): Promise<CommandResult> {
    // Only a protected environment asks anyone: elsewhere the card must not say someone confirmed.
    const confirmedBy = this.deps.catalog.environments[pending.env]?.protected ? confirmer.name : undefined;
    const card = (jobNumber?: number) =>
      approvedBy && 'rule' in pending
        ? approvalMessage(pending as PendingConfirmation & Parameters<typeof approvalMessage>[0], 'approved', { by: approvedBy.name, jobNumber })
        : planMessage(pending.plan, 'queued', { actorName: pending.actor.name, jobNumber, ...(confirmedBy ? { confirmedBy } : {}) });
    const ref = pending.ref ?? (await chat.post(pending.conversation.id, card(), { threadId: pending.threadId }));
    if (pending.ref && approvedBy) await chat.update(ref, card());
    const approval = approvedBy ? `approved by ${approvedBy.name}` : undefined;
    const data: JobRequest = {
      action: pending.verb,
      args: pending.args,
      plan: pending.plan,
      env: pending.env,
      reason: approval ? [pending.reason, approval].filter(Boolean).join('; ') : pending.reason,
      ...(approvedBy ? { approvedBy } : {}),
      actor: pending.actor,
      conversation: pending.conversation,
      threadId: pending.threadId,
      requestId: pending.requestId,
      messageRef: ref,
    };
    try {
      // The confirmation id is the idempotency key: a second delivery of the same click enqueues nothing.
      const job = await this.deps.jobs.submit(data, pending.id);
      if (pending.ref) await chat.update(ref, card(job.jobNumber));
      this.deps.metrics.countCommand(pending.verb, 'queued');
      await this.audit(
        { id: requestId, actor: confirmer, conversation: pending.conversation, text: pending.text },
        {
          type: 'decision',
          decision: 'allowed',
          action: pending.verb,
          service: pending.plan.target.service,
          env: pending.env,
          jobId: job.jobId,
          result: `queued as job ${job.jobNumber}`,
          ...(approvedBy ? { detail: { requester: pending.actor.name, approvedBy: approvedBy.name } } : {}),
        },
      );
      return { kind: 'queued', ...job, ref };
    } catch (error) {
      if (!isUserError(error)) throw error;
      // Busy: another change holds the lock. The card and the audit trail say refused, and the thread why.
      await chat.update(ref, planMessage(pending.plan, 'refused', { actorName: pending.actor.name, refusal: error.message }));
      await chat.reply(ref, userErrorMessage(error.message));
      this.deps.metrics.countCommand(pending.verb, 'user_error');
      await this.audit(
        { id: requestId, actor: confirmer, conversation: pending.conversation, text: pending.text },
        { type: 'decision', decision: 'refused', action: pending.verb, service: pending.plan.target.service, env: pending.env, result: error.message },
      );
      return { kind: 'failed', error: error.message, shown: true };
    }
  }

  /** Hands `verb` to the module that owns its state, after the same parse, policy and audit as any command. */
  delegate(verb: string, handler: DelegatedVerb): void {
    if (!this.deps.registry.get(verb)) throw new Error(`delegated verb '${verb}' is not registered`);
    if (this.delegated.has(verb)) throw new Error(`verb '${verb}' is delegated twice`);
    this.delegated.set(verb, handler);
  }

  private async runDelegated(request: CommandRequest, parsed: ParsedCommand, delegated: DelegatedVerb, chat: ChatPort): Promise<CommandResult> {
    const { verb, action } = parsed;
    const target = await delegated.target(request, parsed.args);
    const about = { ...parsed, service: target.service, env: target.env };
    const decision = await this.authorise(request.actor, verb, action.risk, target.service, target.env, request.conversation);
    if (decision?.kind === 'denied') return this.deny(request, verb, about, decision, chat, target.detail);
    // Nothing waits for a second person here: a page cannot be held while someone is found.
    if (decision?.kind === 'needs_approval') {
      return this.deny(request, verb, about, { kind: 'denied', rule: decision.rule, roles: decision.roles, message: `${verb} cannot wait for approval; act in PagerDuty` }, chat, target.detail);
    }
    const outcome = await delegated.run(request, target, chat);
    const rule = decision ? { rule: decision.rule } : {};
    this.deps.metrics.countCommand(verb, outcome.ok ? 'ok' : 'user_error');
    await this.audit(request, {
      type: 'command',
      decision: 'allowed',
      action: verb,
      service: target.service,
      env: target.env,
      result: outcome.ok ? outcome.result : `error: ${outcome.error}`,
      detail: { ...target.detail, ...rule },
    });
    if (outcome.ok) return { kind: 'answered' };
    await chat.ephemeral(request.conversation.id, request.actor.id, userErrorMessage(outcome.error), { threadId: request.threadId });
    return { kind: 'failed', error: outcome.error };
  }

  /** Approve and Reject, pressed as buttons (InteractionHandler) or typed (`approve <request>`). */
  async approve(approvalId: string, actor: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    if (!this.desk) return { kind: 'failed', error: 'Approvals are not enabled on this bot; nothing was done.' };
    return this.desk.approve(approvalId, actor, chat, requestId, from);
  }

  async reject(approvalId: string, actor: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    if (!this.desk) return { kind: 'failed', error: 'Approvals are not enabled on this bot; nothing was done.' };
    return this.desk.reject(approvalId, actor, chat, requestId, from);
  }

  /** Marks expired approval requests on their cards; main.ts runs it on a timer in every web replica. */
  startApprovalSweeper(chats: (platform: Platform) => ChatPort | undefined, intervalMs?: number): () => void {
    return this.desk ? this.desk.startSweeper(chats, intervalMs) : () => {};
  }

  async sweepApprovals(chats: (platform: Platform) => ChatPort | undefined): Promise<number> {
    return this.desk ? this.desk.sweep(chats) : 0;
  }

  private async decideByCommand(request: CommandRequest, parsed: ParsedCommand, chat: ChatPort): Promise<CommandResult> {
    const id = (parsed.args as { request: string }).request;
    const decide = parsed.verb === 'approve' ? this.approve.bind(this) : this.reject.bind(this);
    const result = await decide(id, request.actor, chat, request.id, request.conversation);
    this.deps.metrics.countCommand(parsed.verb, result.kind === 'failed' ? 'user_error' : 'ok');
    if (result.kind === 'failed') {
      await chat.ephemeral(request.conversation.id, request.actor.id, userErrorMessage(result.error), { threadId: request.threadId });
    }
    return result;
  }

  /** The policy's decision, or undefined when this bot runs without one. */
  private async authorise(
    actor: Actor,
    verb: string,
    risk: Risk,
    service: string | undefined,
    env: string,
    conversation: Conversation,
    breakGlass = false,
  ): Promise<PolicyDecision | undefined> {
    const policy = this.deps.policy;
    if (!policy) return undefined;
    const lookup = (await policy.groupsOf?.(actor)) ?? NO_GROUPS;
    const decision = evaluatePolicy(this.deps.catalog, { actor, groups: lookup.groups, verb, risk, service, env, conversation, breakGlass });
    return decision.kind === 'denied' ? { ...decision, message: withLookupFailure(decision.message, lookup) } : decision;
  }

  private async deny(
    request: CommandRequest,
    verb: string,
    parsed: ParsedCommand,
    decision: Extract<PolicyDecision, { kind: 'denied' }>,
    chat: ChatPort,
    detail: Record<string, unknown> = {},
  ): Promise<CommandResult> {
    const text = denialText(decision);
    this.deps.metrics.countCommand(verb, 'user_error');
    await this.audit(request, {
      type: 'decision',
      decision: 'denied',
      action: verb,
      service: parsed.service,
      env: parsed.env,
      result: text,
      detail: { ...detail, rule: decision.rule, roles: decision.roles, ...(parsed.breakGlass ? { breakGlass: true } : {}) },
    });
    await chat.ephemeral(request.conversation.id, request.actor.id, userErrorMessage(text), { threadId: request.threadId });
    return { kind: 'failed', error: text };
  }

  /** Whoever presses Confirm must be allowed the change themselves: a button is no way around the policy. */
  private async refuseConfirmer(confirmId: string, actor: Actor, requestId: string): Promise<CommandResult | undefined> {
    if (!this.deps.policy) return undefined;
    const pending = await this.deps.confirmations.get(confirmId);
    if (!pending) return undefined;
    const risk = this.deps.registry.get(pending.verb)?.risk ?? 'high';
    const decision = await this.authorise(actor, pending.verb, risk, pending.plan.target.service, pending.env, pending.conversation);
    if (decision?.kind !== 'denied') return undefined;
    const text = denialText(decision);
    await this.audit(
      { id: requestId, actor, conversation: pending.conversation, text: pending.text },
      {
        type: 'decision',
        decision: 'denied',
        action: pending.verb,
        service: pending.plan.target.service,
        env: pending.env,
        result: text,
        detail: { rule: decision.rule, confirmId },
      },
    );
    return { kind: 'failed', error: text };
  }

  private async fail(request: CommandRequest, verb: string, error: unknown, chat: ChatPort, log: Logger): Promise<CommandResult> {
    const options = { threadId: request.threadId };
    if (isUserError(error)) {
      this.deps.metrics.countCommand(verb, 'user_error');
      // As on the parse-error path: a user error may echo what was typed, pasted secrets included.
      const text = redactText(error.message);
      await this.audit(request, { type: 'command', decision: 'allowed', action: verb, result: `error: ${text}` });
      await chat.ephemeral(request.conversation.id, request.actor.id, userErrorMessage(text), options);
      return { kind: 'failed', error: text };
    }
    const ref = errorRef();
    log.error({ err: error, ref, verb }, 'command failed');
    this.deps.metrics.countCommand(verb, 'error');
    await this.audit(request, { type: 'command', decision: 'allowed', action: verb, result: `internal error ref ${ref}` });
    await chat.ephemeral(request.conversation.id, request.actor.id, internalErrorMessage(ref), options);
    return { kind: 'failed', error: `internal error (ref ${ref})` };
  }

  private context(request: CommandRequest, parsed: ParsedCommand, log: Logger, signal: AbortSignal): ActionContext {
    return {
      requestId: request.id,
      actor: request.actor,
      conversation: request.conversation,
      threadId: request.threadId,
      env: parsed.env,
      reason: parsed.reason,
      catalog: this.deps.catalog,
      log,
      signal,
      ports: this.deps.ports,
    };
  }

  private async audit(
    request: Pick<CommandRequest, 'id' | 'actor' | 'conversation' | 'text'>,
    entry: Omit<AuditEntry, 'requestId' | 'actor' | 'conversation' | 'text'>,
  ): Promise<void> {
    await this.deps.audit.record({
      requestId: request.id,
      actor: request.actor,
      conversation: { id: request.conversation.id, name: request.conversation.name, teamId: request.conversation.teamId },
      // An overlong command is refused by the parser; the audit keeps its start, not all of it.
      text: request.text.slice(0, MAX_COMMAND_LENGTH),
      ...entry,
    });
  }
}

