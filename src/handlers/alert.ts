import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { InteractionRequest } from '../core/request.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { IncidentResponder } from '../incidents/responder.js';
import type { CommandHandler, CommandResult } from './command.js';
import type { InteractionHandler } from './interaction.js';

export interface AlertRouteDeps {
  store: IncidentStore;
  responder: IncidentResponder;
  commands: CommandHandler;
  log: Logger;
}

/**
 * The buttons of an incident card. `alert.action` runs the catalog's suggested
 * command as if the presser had typed it (same parse, policy, confirmation and
 * job path), threaded under the card; `alert.ack` and `alert.resolve` go through
 * PagerDuty. A button's value is only an opaque id; a value that does not belong
 * to a card in the conversation it was pressed in is refused.
 */
export function registerAlertRoutes(interactions: InteractionHandler, deps: AlertRouteDeps): void {
  interactions.route('alert.action', (request, chat) => runSuggested(request, chat, deps));
  interactions.route('alert.ack', (request) => respond(request, deps, 'ack'));
  interactions.route('alert.resolve', (request) => respond(request, deps, 'resolve'));
}

const EXPIRED = 'This alert button has expired or does not belong to this conversation; nothing was done.';

async function lookUp(request: InteractionRequest, deps: AlertRouteDeps, kind: string) {
  const found = await deps.store.button(request.value);
  if (!found || found.button.kind !== kind) return undefined;
  const card = await deps.store.cardIn(found.incident.id, request.conversation.platform, request.conversation.id);
  if (!card) return undefined;
  return { ...found, card };
}

async function runSuggested(request: InteractionRequest, chat: ChatPort, deps: AlertRouteDeps): Promise<CommandResult> {
  const found = await lookUp(request, deps, 'action');
  if (!found?.button.command) return { kind: 'failed', error: EXPIRED };
  const { incident, button, card } = found;
  if (!incident.service) return { kind: 'failed', error: 'This alert names no catalog service, so its actions cannot be run; use a command.' };
  const text = button.command!.replaceAll('{service}', incident.service).replaceAll('{env}', incident.env);
  deps.log.info({ incident: incident.id, actor: request.actor.id, command: text }, 'alert card action pressed');
  return deps.commands.handle(
    { kind: 'command', id: request.id, actor: request.actor, conversation: request.conversation, threadId: card.threadId ?? card.id, text },
    chat,
  );
}

async function respond(request: InteractionRequest, deps: AlertRouteDeps, kind: 'ack' | 'resolve'): Promise<CommandResult> {
  const found = await lookUp(request, deps, kind);
  if (!found) return { kind: 'failed', error: EXPIRED };
  const who = { name: request.actor.name, via: request.actor.platform };
  const outcome = kind === 'ack' ? await deps.responder.acknowledge(found.incident.id, who) : await deps.responder.resolve(found.incident.id, who);
  return outcome.ok ? { kind: 'answered' } : { kind: 'failed', error: outcome.error };
}
