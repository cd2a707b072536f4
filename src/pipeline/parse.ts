import type { ChatPort } from '../core/chat-port.js';
import { isUserError } from '../core/errors.js';
import { type ParsedCommand, parseCommand } from '../core/grammar.js';
import type { CommandRequest } from '../core/request.js';
import type { CommandResult } from './command-result.js';
import { unparsed } from './failure.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';

export type ParseOutcome = { ok: true; parsed: ParsedCommand } | { ok: false; result: CommandResult };

/**
 * The first step of every request, typed or pressed: the grammar, strictly. What
 * does not parse is answered (to the asker alone) and audited here, and goes no further.
 */
export async function parse(deps: CommandHandlerDeps, request: CommandRequest, chat: ChatPort): Promise<ParseOutcome> {
  try {
    return { ok: true, parsed: parseCommand(request.text, { registry: deps.registry, catalog: deps.catalog }) };
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { ok: false, result: await unparsed(deps, request, error, chat) };
  }
}

