import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { ActionStyle } from '../core/message.js';
import type { CommandRequest, InteractionRequest } from '../core/request.js';
import type { ButtonKind, IncidentButton } from '../incidents/incident.js';
import type { CommandHandler } from './command.js';
import type { CommandResult } from './command-result.js';
import type { IncidentVerbDeps } from './incident-verbs.js';
import type { OutputPages } from './output-pages.js';

/**
 * Every button id the bot mints. Cards take their ids from here and the table
 * below routes them, so a button and its route cannot drift apart.
 */
export const BUTTON = {
  confirm: 'plan.confirm',
  cancel: 'plan.cancel',
  approve: 'approval.approve',
  reject: 'approval.reject',
  /** A follow-up (after a verification regression, say) carrying a command as its value. */
  run: 'command.run',
  alertAck: 'alert.ack',
  alertResolve: 'alert.resolve',
  /** A paged long output (output-pages.ts): the page before or after the one shown. */
  outputOlder: 'output.older',
  outputNewer: 'output.newer',
} as const;

/** Suggested-action buttons of an incident card share this prefix. */
export const ALERT_ACTION = 'alert.action';

/**
 * Renderers drop a button whose id repeats (Slack wants action_id unique in its
 * block), so each suggested action carries its slot; the table takes every id
 * under `alert.action.` and the press finds the button by its value.
 */
export function alertButtonId(kind: ButtonKind, slot: number): string {
  if (kind === 'action') return `${ALERT_ACTION}.${slot}`;
  return kind === 'ack' ? BUTTON.alertAck : BUTTON.alertResolve;
}

/**
 * The buttons of a new incident's card: the catalog's suggested actions, then
 * Acknowledge and Resolve. Each carries an opaque random value that only the
 * incident lookups turn back into the incident and kind (the table below routes
 * the presses); the store keeps them and mints nothing.
 */
export function incidentButtons(actions: readonly { label: string; style: ActionStyle; command: string }[]): IncidentButton[] {
  return [
    ...actions.map((a) => mintIncidentButton('action', a.label, a.style, a.command)),
    mintIncidentButton('ack', 'Acknowledge', 'default'),
    mintIncidentButton('resolve', 'Resolve', 'default'),
  ];
}

/** The shape minted values have: anything else is refused before Redis is asked. */
export function isIncidentButtonValue(value: string): boolean {
  return /^b[A-Za-z0-9_-]{16}$/.test(value);
}

function mintIncidentButton(kind: ButtonKind, label: string, style: ActionStyle, command?: string): IncidentButton {
  return { value: `b${randomBytes(12).toString('base64url')}`, kind, label, style, ...(command ? { command } : {}) };
}

/** What one button does, given who pressed it where. */
export type ButtonRoute = (request: InteractionRequest, chat: ChatPort) => Promise<CommandResult>;

/** `prefix`: the route takes `id` and every `id.<anything>`. */
export interface ButtonEntry {
  id: string;
  prefix?: true;
  route: ButtonRoute;
}

/** What incident cards' buttons need of the incidents module. */
export interface IncidentButtonDeps extends IncidentVerbDeps {
  log: Logger;
}

/**
 * THE route table: every button the bot mints and what pressing it does. Each
 * press walks the pipeline a typed command walks: a stored plan's buttons
 * (confirm, approve) check the presser against the policy and claim the request
 * once; a button that carries a command runs it as if the presser had typed it.
 * A button's value is only an opaque id (or that command); state lives in Redis.
 */
export function buttonRoutes(commands: CommandHandler, incidents?: IncidentButtonDeps, pages?: OutputPages): ButtonEntry[] {
  const entries: ButtonEntry[] = [
    // Turning a page changes nothing in the world: anyone who sees the card may.
    ...(pages
      ? [
          { id: BUTTON.outputOlder, route: (req: InteractionRequest, chat: ChatPort) => pages.turn(req, chat, 'older') },
          { id: BUTTON.outputNewer, route: (req: InteractionRequest, chat: ChatPort) => pages.turn(req, chat, 'newer') },
        ]
      : []),
    { id: BUTTON.confirm, route: (req, chat) => commands.confirm(req.value, req.actor, chat, requestId(req), req.conversation) },
    { id: BUTTON.cancel, route: (req, chat) => commands.cancel(req.value, req.actor, chat, req.conversation) },
    // Approvals check who presses and where: not the requester, a role the rule names, the request's own conversation.
    { id: BUTTON.approve, route: (req, chat) => commands.approve(req.value, req.actor, chat, requestId(req), req.conversation) },
    { id: BUTTON.reject, route: (req, chat) => commands.reject(req.value, req.actor, chat, requestId(req), req.conversation) },
    { id: BUTTON.run, route: (req, chat) => commands.handle(asCommand(req, req.value), chat) },
  ];
  if (!incidents) return entries;
  const card = (kind: ButtonKind): ButtonRoute => (req, chat) => pressIncidentCard(req, chat, commands, incidents, kind);
  return [
    ...entries,
    { id: ALERT_ACTION, prefix: true, route: card('action') },
    { id: BUTTON.alertAck, route: card('ack') },
    { id: BUTTON.alertResolve, route: card('resolve') },
  ];
}

const EXPIRED = 'This alert button has expired or does not belong to this conversation; nothing was done.';

/**
 * An incident card's button runs as a command typed in the card's thread, so a
 * press gets the same parse, policy, confirmation and audit as the command:
 * `action` runs the catalog's suggested command, `ack` and `resolve` run `ack`
 * and `resolve`. A value that belongs to no card in the conversation it was
 * pressed in is refused.
 */
async function pressIncidentCard(
  request: InteractionRequest,
  chat: ChatPort,
  commands: CommandHandler,
  deps: IncidentButtonDeps,
  kind: ButtonKind,
): Promise<CommandResult> {
  const found = await deps.lookups.button(request.value);
  if (!found || found.button.kind !== kind) return { kind: 'failed', error: EXPIRED };
  const { incident, button } = found;
  const card = await deps.lookups.cardIn(incident.id, request.conversation.platform, request.conversation.id);
  if (!card) return { kind: 'failed', error: EXPIRED };
  let text: string = kind;
  if (kind === 'action') {
    if (!button.command) return { kind: 'failed', error: EXPIRED };
    if (!incident.service) return { kind: 'failed', error: 'This alert names no catalog service, so its actions cannot be run; use a command.' };
    text = button.command.replaceAll('{service}', incident.service).replaceAll('{env}', incident.env);
  }
  deps.log.info({ incident: incident.id, actor: request.actor.id, command: text }, 'alert card button pressed');
  const result = await commands.handle(asCommand(request, text, card.threadId ?? card.id), chat);
  // The command handler has already told the presser why (an ephemeral answer): once is enough.
  return result.kind === 'failed' ? { ...result, shown: true } : result;
}

/** A press that carries a command, as if the presser had typed it (in `threadId`, when given). */
function asCommand(request: InteractionRequest, text: string, threadId = request.threadId): CommandRequest {
  return { kind: 'command', id: request.id, actor: request.actor, conversation: request.conversation, ...(threadId ? { threadId } : {}), text };
}

function requestId(request: InteractionRequest): string {
  return request.id || randomUUID();
}
