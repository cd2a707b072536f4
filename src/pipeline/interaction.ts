import type { ChatPort } from '../core/chat-port.js';
import type { InteractionRequest } from '../core/request.js';
import { type ButtonRoute, buttonRoutes, type IncidentButtonDeps } from './buttons.js';
import type { CommandHandler, CommandResult } from './command.js';
import { delegateIncidentVerbs } from './incident-verbs.js';
import type { OutputPages } from './output-pages.js';

export type { ButtonRoute } from './buttons.js';

export interface InteractionOptions {
  /** The incidents module's state: routes the incident cards' buttons and hands it `ack`/`resolve`. */
  incidents?: IncidentButtonDeps;
  /** Long output paged on a card (chats without attachments): routes its Older/Newer buttons. */
  pages?: OutputPages;
}

/**
 * Every button press from every platform comes through here, so Slack and Teams
 * adapters only normalise and forward: what a button does is decided once, in
 * the route table of buttons.ts.
 */
export class InteractionHandler {
  private readonly routes = new Map<string, ButtonRoute>();
  private readonly prefixes = new Map<string, ButtonRoute>();

  /** Where long outputs paged on cards are kept: a chat that pages them must post through this one. */
  readonly pages: OutputPages | undefined;

  constructor(commands: CommandHandler, options: InteractionOptions = {}) {
    this.pages = options.pages;
    // Typed `ack`/`resolve` need the incidents as much as the card buttons do: both are wired here, before any adapter takes requests.
    if (options.incidents) delegateIncidentVerbs(commands, options.incidents);
    for (const entry of buttonRoutes(commands, options.incidents, options.pages)) {
      if (entry.prefix) this.routePrefix(entry.id, entry.route);
      else this.route(entry.id, entry.route);
    }
  }

  /** For a test's own buttons; the bot's are all in buttons.ts. */
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

  /** Whether a press of `actionId` reaches a route (the card-id coverage test asks). */
  handles(actionId: string): boolean {
    return this.routes.has(actionId) || this.byPrefix(actionId) !== undefined;
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
