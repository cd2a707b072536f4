import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { CommandHandler, CommandResult } from '../handlers/command.js';
import type { InteractionHandler } from '../handlers/interaction.js';
import { actionsFor, fillCommand, type IncidentStore } from './incidents.js';

export const EXPIRED = 'This button has expired or is not one of ours; nothing was done.';

export interface AlertRouteDeps {
  store: IncidentStore;
  catalog: Catalog;
  commandHandler: Pick<CommandHandler, 'handle'>;
  log: Logger;
}

/**
 * `alert.action`: the button's value is an opaque id; the command it stands for is
 * rebuilt from the stored incident and run as if the presser had typed it, so
 * policy, plan, confirmation and jobs apply unchanged.
 */
export function registerAlertRoutes(interactions: Pick<InteractionHandler, 'route'>, deps: AlertRouteDeps): void {
  interactions.route('alert.action', async (press, chat): Promise<CommandResult> => {
    const pointer = await deps.store.action(press.value);
    const incident = pointer ? await deps.store.get(pointer.incident) : undefined;
    const action = pointer && incident ? actionsFor(deps.catalog, incident)[pointer.index] : undefined;
    if (!incident || !action) {
      deps.log.warn({ actor: press.actor.id, platform: press.actor.platform }, 'alert button with an unknown id refused');
      return { kind: 'failed', error: EXPIRED };
    }
    const card = incident.cards.find((c) => c.ref.platform === press.conversation.platform && c.ref.conversation === press.conversation.id);
    const threadId = card?.ref.id ?? press.threadId;
    return deps.commandHandler.handle(
      {
        kind: 'command',
        id: press.id,
        actor: press.actor,
        conversation: press.conversation,
        ...(threadId ? { threadId } : {}),
        text: fillCommand(action.command, incident),
      },
      chat,
    );
  });
}
