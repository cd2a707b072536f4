import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { ActionContext, Plan } from '../core/action.js';
import type { AuditEntry, AuditSink } from '../core/audit.js';
import type { ChatPort, MessageRef } from '../core/chat-port.js';
import { errorRef, isUserError } from '../core/errors.js';
import { type ParsedCommand, parseCommand } from '../core/grammar.js';
import type { Metrics } from '../core/metrics.js';
import type { ActionRegistry } from '../core/registry.js';
import type { Actor, CommandRequest, Conversation } from '../core/request.js';
import type { ConfirmationStore, PendingConfirmation } from './confirmations.js';
import { internalErrorMessage, planMessage, userErrorMessage } from './replies.js';

/** What the job layer needs to run a confirmed plan (src/jobs implements it). */
export interface JobRequest {
  action: string;
  args: unknown;
  plan: Plan;
  env: string;
  reason?: string;
  actor: Actor;
  conversation?: Conversation;
  threadId?: string;
  requestId: string;
  messageRef?: MessageRef;
}

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
  /** Handed to actions as ctx.ports. */
  ports: unknown;
  /** Budget for a read-only action answered in the request. */
  readTimeoutMs?: number;
}

export type CommandResult =
  | { kind: 'answered' }
  | { kind: 'failed'; error: string }
  | { kind: 'needs_confirmation'; confirmId: string; ref: MessageRef }
  | { kind: 'queued'; jobNumber: number; jobId: string; created: boolean; ref: MessageRef };

/**
 * The platform-neutral command path: parse strictly, answer read-only verbs in the
 * request, plan changing ones, ask for confirmation where the environment is
 * protected, and hand confirmed plans to the job queue. Adapters call it with the
 * ChatPort to answer through.
 */
export class CommandHandler {
  constructor(private readonly deps: CommandHandlerDeps) {}

  async handle(request: CommandRequest, chat: ChatPort): Promise<CommandResult> {
    const log = this.deps.log.child({ requestId: request.id, actor: request.actor.id, platform: request.actor.platform });
    let parsed: ParsedCommand;
    try {
      parsed = parseCommand(request.text, { registry: this.deps.registry, catalog: this.deps.catalog });
    } catch (error) {
      if (!isUserError(error)) throw error;
      this.deps.metrics.countCommand('(unparsed)', 'parse_error');
      await this.audit(request, { type: 'command', decision: 'parse_error', result: error.message });
      await chat.ephemeral(request.conversation.id, request.actor.id, userErrorMessage(error.message), {
        threadId: request.threadId,
      });
      return { kind: 'failed', error: error.message };
    }

    const { action, verb } = parsed;
    try {
      if (action.risk === 'read') return await this.answer(request, parsed, chat, log);
      return await this.planChange(request, parsed, chat, log);
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
      const message = await action.execute(this.context(request, parsed, log, controller.signal), parsed.args, async () => {});
      // Help is for the asker; everything else is shared with the channel.
      if (verb === 'help') {
        await chat.ephemeral(request.conversation.id, request.actor.id, message, { threadId: request.threadId });
      } else {
        await chat.post(request.conversation.id, message, { threadId: request.threadId });
      }
    } finally {
      clearTimeout(timer);
    }
    this.deps.metrics.countCommand(verb, 'ok');
    await this.audit(request, { type: 'command', decision: 'allowed', action: verb, service: parsed.service, env: parsed.env });
    return { kind: 'answered' };
  }

  private async planChange(request: CommandRequest, parsed: ParsedCommand, chat: ChatPort, log: Logger): Promise<CommandResult> {
    const { action, verb } = parsed;
    const plan = await action.plan!(this.context(request, parsed, log, new AbortController().signal), parsed.args);
    const base = { action: verb, service: plan.target.service, env: parsed.env, detail: { changes: plan.changes } };

    if (parsed.dryRun) {
      await chat.post(request.conversation.id, planMessage(plan, 'dry-run'), { threadId: request.threadId });
      this.deps.metrics.countCommand(verb, 'dry_run');
      await this.audit(request, { type: 'command', decision: 'dry_run', ...base });
      return { kind: 'answered' };
    }

    const pending: PendingConfirmation = {
      id: this.deps.confirmations.newId(),
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
      createdAt: new Date().toISOString(),
    };
    // --yes is a console convenience; in chat the confirmation is a button someone presses.
    const confirmedUpfront = parsed.yes && request.actor.platform === 'console';
    const needsConfirmation = this.deps.catalog.environments[parsed.env]?.protected === true && !confirmedUpfront;
    await this.audit(request, { type: 'command', decision: 'allowed', ...base });

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

  private async enqueue(pending: PendingConfirmation, chat: ChatPort, confirmer: Actor, requestId: string): Promise<CommandResult> {
    const message = planMessage(pending.plan, 'queued', { actorName: pending.actor.name });
    const ref = pending.ref ?? (await chat.post(pending.conversation.id, message, { threadId: pending.threadId }));
    const data: JobRequest = {
      action: pending.verb,
      args: pending.args,
      plan: pending.plan,
      env: pending.env,
      reason: pending.reason,
      actor: pending.actor,
      conversation: pending.conversation,
      threadId: pending.threadId,
      requestId: pending.requestId,
      messageRef: ref,
    };
    try {
      // The confirmation id is the idempotency key: a second delivery of the same click enqueues nothing.
      const job = await this.deps.jobs.submit(data, pending.id);
      if (pending.ref) await chat.update(ref, planMessage(pending.plan, 'queued', { actorName: pending.actor.name, jobNumber: job.jobNumber }));
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
        },
      );
      return { kind: 'queued', ...job, ref };
    } catch (error) {
      if (!isUserError(error)) throw error;
      // Busy: another change holds the lock. Say so where the plan is.
      await chat.reply(ref, userErrorMessage(error.message));
      this.deps.metrics.countCommand(pending.verb, 'user_error');
      return { kind: 'failed', error: error.message };
    }
  }

  private async fail(request: CommandRequest, verb: string, error: unknown, chat: ChatPort, log: Logger): Promise<CommandResult> {
    const options = { threadId: request.threadId };
    if (isUserError(error)) {
      this.deps.metrics.countCommand(verb, 'user_error');
      await this.audit(request, { type: 'command', decision: 'allowed', action: verb, result: `error: ${error.message}` });
      await chat.ephemeral(request.conversation.id, request.actor.id, userErrorMessage(error.message), options);
      return { kind: 'failed', error: error.message };
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
      text: request.text,
      ...entry,
    });
  }
}

