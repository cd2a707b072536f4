import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { Message } from '../core/message.js';
import { errorRef, isUserError, type UserError } from '../core/errors.js';
import { redactText } from '../core/redact.js';
import type { CommandRequest } from '../core/request.js';
import { auditRequest } from './audit.js';
import type { CommandResult } from './command-result.js';
import type { CommandHandlerDeps } from './pipeline-deps.js';
import { internalErrorMessage, userErrorMessage } from '../core/error-replies.js';

/**
 * The one mapping from what went wrong to what the asker is told: a UserError is
 * shown as it is (redacted: it may echo what was typed, and what was typed may be a
 * pasted secret); anything else is logged under an error ref and shown as a short
 * apology that names the ref.
 */
export async function failed(
  deps: CommandHandlerDeps,
  request: CommandRequest,
  about: { verb: string; service?: string | undefined; env?: string },
  error: unknown,
  chat: ChatPort,
  log: Logger,
): Promise<CommandResult> {
  // What the command was about stays in the trail when it fails: a failed read is still a read of that service.
  const { verb, ...target } = about;
  if (isUserError(error)) {
    deps.metrics.countCommand(verb, 'user_error');
    const text = redactText(error.message);
    await auditRequest(deps.audit, request, { type: 'command', decision: 'allowed', action: verb, ...target, result: `error: ${text}` });
    await tellAsker(request, chat, userErrorMessage(text));
    return { kind: 'failed', error: text };
  }
  const ref = errorRef();
  log.error({ err: error, ref, verb }, 'command failed');
  deps.metrics.countCommand(verb, 'error');
  await auditRequest(deps.audit, request, { type: 'command', decision: 'allowed', action: verb, ...target, result: `internal error ref ${ref}` });
  await tellAsker(request, chat, internalErrorMessage(ref));
  return { kind: 'failed', error: `internal error (ref ${ref})` };
}

/** What was typed is not a command: the same redaction, and the trail says it never parsed. */
export async function unparsed(deps: CommandHandlerDeps, request: CommandRequest, error: UserError, chat: ChatPort): Promise<CommandResult> {
  deps.metrics.countCommand('(unparsed)', 'parse_error');
  await auditRequest(deps.audit, request, { type: 'command', decision: 'parse_error', result: error.message });
  const text = redactText(error.message);
  await tellAsker(request, chat, userErrorMessage(text));
  return { kind: 'failed', error: text };
}

/** A refusal is for the one who asked, in the thread they asked in. */
export async function tellAsker(request: CommandRequest, chat: ChatPort, message: Message): Promise<void> {
  await chat.ephemeral(request.conversation.id, request.actor.id, message, { threadId: request.threadId });
}
