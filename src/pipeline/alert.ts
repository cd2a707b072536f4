import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { InteractionRequest } from '../core/request.js';
import { ALERT_ACTION_PREFIX } from '../incidents/incident-card.js';
import type { IncidentLookups } from '../incidents/incident-lookups.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { IncidentResponder } from '../incidents/responder.js';
import type { CommandHandler, CommandResult } from './command.js';
import { incidentVerb } from './incident-verbs.js';
import type { InteractionHandler } from './interaction.js';

export interface AlertRouteDeps {
  store: IncidentStore;
  lookups: IncidentLookups;
  responder: IncidentResponder;
  commands: CommandHandler;
  log: Logger;
}

/**
 * The buttons of an incident card, each run as a command typed in the card's
 * thread, so a press gets the same parse, policy, confirmation and audit as the
 * command: `alert.action.<slot>` runs the catalog's suggested command,
 * `alert.ack` and `alert.resolve` run `ack` and `resolve`. A button's value is
 * only an opaque id; a value that does not belong to a card in the conversation
 * it was pressed in is refused.
 */
export function registerAlertRoutes(interactions: InteractionHandler, deps: AlertRouteDeps): void {
  deps.commands.delegate('ack', incidentVerb('ack', deps));
  deps.commands.delegate('resolve', incidentVerb('resolve', deps));
  interactions.routePrefix(ALERT_ACTION_PREFIX, (request, chat) => press(request, chat, deps, 'action'));
  interactions.route('alert.ack', (request, chat) => press(request, chat, deps, 'ack'));
  interactions.route('alert.resolve', (request, chat) => press(request, chat, deps, 'resolve'));
}

const EXPIRED = 'This alert button has expired or does not belong to this conversation; nothing was done.';

async function press(request: InteractionRequest, chat: ChatPort, deps: AlertRouteDeps, kind: 'action' | 'ack' | 'resolve'): Promise<CommandResult> {
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
  const result = await deps.commands.handle(
    { kind: 'command', id: request.id, actor: request.actor, conversation: request.conversation, threadId: card.threadId ?? card.id, text },
    chat,
  );
  // The command handler has already told the presser why (an ephemeral answer): once is enough.
  return result.kind === 'failed' ? { ...result, shown: true } : result;
}
