import type { Logger } from 'pino';
import type { ActionContext } from '../core/action.js';
import type { ParsedCommand } from '../core/grammar.js';
import type { CommandRequest } from '../core/request.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';

/** What an action sees of the request while it plans or answers it. */
export function actionContext(deps: CommandHandlerDeps, request: CommandRequest, parsed: ParsedCommand, log: Logger, signal: AbortSignal): ActionContext {
  return {
    requestId: request.id,
    actor: request.actor,
    conversation: request.conversation,
    threadId: request.threadId,
    env: parsed.env,
    reason: parsed.reason,
    catalog: deps.catalog,
    log,
    signal,
    ports: deps.ports,
  };
}
