import { randomUUID } from 'node:crypto';
import type { ChatPort } from '../core/chat-port.js';
import type { InteractionRequest } from '../core/request.js';
import type { CommandHandler, CommandResult } from './command.js';

/** Handles one kind of button, named by the prefix of its action id (`alert.` → alert buttons). */
export type ButtonRoute = (request: InteractionRequest, chat: ChatPort) => Promise<CommandResult>;

/**
 * Every button press from every platform comes through here, so Slack and Teams
 * adapters only normalise and forward: what a button does is decided once. A
 * button's value is only an opaque id; the state it points at lives in Redis.
 */
export class InteractionHandler {
  private readonly routes = new Map<string, ButtonRoute>();
  private readonly prefixes = new Map<string, ButtonRoute>();

  constructor(commands: CommandHandler) {
    this.route('plan.confirm', (req, chat) => commands.confirm(req.value, req.actor, chat, req.id || randomUUID(), req.conversation));
    this.route('plan.cancel', (req, chat) => commands.cancel(req.value, req.actor, chat, req.conversation));
    // Approvals check who presses and where: not the requester, a role the rule names, the request's own conversation.
    this.route('approval.approve', (req, chat) => commands.approve(req.value, req.actor, chat, req.id || randomUUID(), req.conversation));
    this.route('approval.reject', (req, chat) => commands.reject(req.value, req.actor, chat, req.id || randomUUID(), req.conversation));
  }

  /** Later features add their buttons (alert actions, approvals) under their own action id. */
  route(actionId: string, handler: ButtonRoute): void {
    if (this.routes.has(actionId)) throw new Error(`button '${actionId}' is routed twice`);
    this.routes.set(actionId, handler);
  }

  /**
   * One handler for a family of buttons whose ids are `prefix` or `prefix.<anything>`:
   * a card with several such buttons needs distinct ids (renderers drop repeats).
   */
  routePrefix(prefix: string, handler: ButtonRoute): void {
    if (this.prefixes.has(prefix) || this.routes.has(prefix)) throw new Error(`button '${prefix}' is routed twice`);
    this.prefixes.set(prefix, handler);
  }

  async handle(request: InteractionRequest, chat: ChatPort): Promise<CommandResult> {
    const route = this.routes.get(request.actionId) ?? this.byPrefix(request.actionId);
    if (!route) return { kind: 'failed', error: 'This button is not handled by this version of the bot; nothing was done.' };
    return route(request, chat);
  }

  private byPrefix(actionId: string): ButtonRoute | undefined {
    for (const [prefix, route] of this.prefixes) {
      if (actionId === prefix || actionId.startsWith(`${prefix}.`)) return route;
    }
    return undefined;
  }
}
