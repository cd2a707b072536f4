import { APPROVAL_VERBS } from '../verbs/approvals/approve.js';
import type { ChatPort } from '../core/chat-port.js';
import type { ParsedCommand } from '../core/grammar.js';
import type { Actor, CommandRequest, Conversation, Platform } from '../core/request.js';
import { ApprovalDesk } from './approvals.js';
import { auditRequest } from './audit.js';
import { authorise, deny } from './authorize.js';
import type { CommandResult } from './command-result.js';
import { cancel, confirm } from './confirm.js';
import { type DelegatedVerb, runDelegated } from './delegated-verb.js';
import { answerNow, enqueue } from './dispatch.js';
import { failed, tellAsker } from './failure.js';
import { parse } from './parse.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';
import { planChange } from './plan-change.js';
import { userErrorMessage } from '../core/error-replies.js';

export type { CommandResult } from './command-result.js';
export type { CommandHandlerDeps, JobRequest, JobSubmitter, PolicyDeps } from './pipeline-deps.js';

/**
 * The platform-neutral command path, the one every request walks, typed or
 * pressed: parse → authorize → (confirm) → dispatch, each step in its own file.
 * Read-only verbs are answered in the request; changing ones are planned, wait
 * for approval or confirmation where the policy or environment asks, and go to
 * the job queue. Adapters call it with the ChatPort to answer through.
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
        teamAliasesOf: policy.teamAliasesOf,
        now: policy.now,
        audit: (subject, entry) => auditRequest(deps.audit, subject, entry),
        enqueue: (pending, chat, approver, requestId) => enqueue(deps, pending, chat, approver, requestId, approver),
      });
    }
  }

  async handle(request: CommandRequest, chat: ChatPort): Promise<CommandResult> {
    const log = this.deps.log.child({ requestId: request.id, actor: request.actor.id, platform: request.actor.platform });
    const parsing = await parse(this.deps, request, chat);
    if (!parsing.ok) return parsing.result;
    const { parsed } = parsing;
    const { action, verb } = parsed;
    try {
      if (APPROVAL_VERBS.has(verb)) return await this.decideByCommand(request, parsed, chat);
      const delegated = this.delegated.get(verb);
      if (delegated) return await runDelegated(this.deps, request, parsed, delegated, chat);
      const decision = await authorise(this.deps, {
        actor: request.actor,
        verb,
        risk: action.risk,
        service: parsed.service,
        ...(parsed.group === undefined ? {} : { services: this.deps.catalog.groups[parsed.group] }),
        env: parsed.env,
        conversation: request.conversation,
        breakGlass: parsed.breakGlass,
        args: parsed.args,
      });
      if (decision?.kind === 'denied') return await deny(this.deps, request, parsed, decision, chat);
      if (action.risk === 'read') return await answerNow(this.deps, request, parsed, chat, log);
      return await planChange(this.deps, this.desk, request, parsed, chat, log, decision);
    } catch (error) {
      return await failed(this.deps, request, { verb, service: parsed.service, env: parsed.env }, error, chat, log);
    }
  }

  /** A Confirm button or console "y"; see confirm.ts. */
  confirm(confirmId: string, actor: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    return confirm(this.deps, confirmId, actor, chat, requestId, from);
  }

  cancel(confirmId: string, actor: Actor, chat: ChatPort, from?: Conversation): Promise<CommandResult> {
    return cancel(this.deps, confirmId, actor, chat, from);
  }

  /** Hands `verb` to the module that owns its state, after the same parse, policy and audit as any command. */
  delegate(verb: string, handler: DelegatedVerb): void {
    if (!this.deps.registry.get(verb)) throw new Error(`delegated verb '${verb}' is not registered`);
    if (this.delegated.has(verb)) throw new Error(`verb '${verb}' is delegated twice`);
    this.delegated.set(verb, handler);
  }

  /** Approve and Reject, pressed as buttons or typed (`approve <request>`). */
  async approve(approvalId: string, actor: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    if (!this.desk) return { kind: 'failed', error: NO_APPROVALS };
    return this.desk.approve(approvalId, actor, chat, requestId, from);
  }

  async reject(approvalId: string, actor: Actor, chat: ChatPort, requestId: string, from?: Conversation): Promise<CommandResult> {
    if (!this.desk) return { kind: 'failed', error: NO_APPROVALS };
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
    if (result.kind === 'failed') await tellAsker(request, chat, userErrorMessage(result.error));
    return result;
  }
}

const NO_APPROVALS = 'Approvals are not enabled on this bot; nothing was done.';
