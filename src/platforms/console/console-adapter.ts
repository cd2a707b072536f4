import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { errorRef } from '../../core/errors.js';
import type { Actor, CommandRequest, Conversation } from '../../core/request.js';
import type { CommandHandler, CommandResult } from '../../pipeline/command.js';
import { internalErrorMessage } from '../../core/error-replies.js';
import type { ConsoleChat } from './console-chat.js';
import { renderText } from './render.js';

export interface ConsoleAdapterOptions {
  handler: CommandHandler;
  chat: ConsoleChat;
  input: Readable;
  output: Writable;
  /** A person at a terminal: show a prompt and ask before protected changes. */
  interactive: boolean;
  /** Resolves when the job has finished, so commands run one after another like a shell. */
  waitForJob?: (jobNumber: number) => Promise<void>;
  /** Resolves when background work the commands started (verifications) has finished. */
  drain?: () => Promise<void>;
  /** SIGTERM/SIGINT: stop reading and stop waiting; the caller's shutdown finishes or hands back the work. */
  stop?: AbortSignal;
  log: Logger;
}

const conversation: Conversation = { platform: 'console', id: 'console', name: 'console' };

/**
 * The embedded default adapter: one command per line on stdin, replies on stdout.
 * Resolves at end of input once the work it started has finished.
 */
export async function runConsole(options: ConsoleAdapterOptions): Promise<void> {
  const { handler, chat, output, interactive } = options;
  const user = safeUserName();
  const actor: Actor = { id: user, name: user, platform: 'console' };
  const lines = createInterface({ input: options.input, terminal: interactive, output: interactive ? output : undefined });
  const next = lines[Symbol.asyncIterator]();
  const stop = options.stop;
  const untilStopped = <T>(work: Promise<T>) => (stop ? Promise.race([work, aborted(stop)]) : work);
  stop?.addEventListener('abort', () => lines.close(), { once: true });
  // At a terminal readline takes Ctrl-C for itself: treat it as end of input, so a second one stops the wait.
  lines.on('SIGINT', () => lines.close());
  const prompt = () => {
    if (interactive) output.write('maestro> ');
  };

  prompt();
  for (let item = await next.next(); !item.done; item = await next.next()) {
    const text = item.value.trim();
    if (text && !text.startsWith('#')) {
      const request: CommandRequest = { kind: 'command', id: randomUUID(), actor, conversation, text };
      try {
        let result = await handler.handle(request, chat);
        if (result.kind === 'needs_confirmation') result = await confirmAtConsole(result, next, options, actor);
        if (result.kind === 'queued' && options.waitForJob) await untilStopped(options.waitForJob(result.jobNumber));
      } catch (error) {
        const ref = errorRef();
        options.log.error({ err: error, ref }, 'console command failed');
        output.write(`${renderText(internalErrorMessage(ref))}\n`);
      }
    }
    prompt();
  }
  lines.close();
  if (options.drain && !stop?.aborted) await untilStopped(options.drain());
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

async function confirmAtConsole(
  pending: Extract<CommandResult, { kind: 'needs_confirmation' }>,
  next: AsyncIterator<string>,
  options: ConsoleAdapterOptions,
  actor: Actor,
): Promise<CommandResult> {
  const { handler, chat, output } = options;
  if (!options.interactive) {
    output.write('This changes a protected environment: add --yes to run it from a script. Nothing was changed.\n');
    return handler.cancel(pending.confirmId, actor, chat);
  }
  output.write('Proceed? [y/N] ');
  const answer = await next.next();
  if (!answer.done && /^y(es)?$/i.test(answer.value.trim())) {
    return handler.confirm(pending.confirmId, actor, chat, randomUUID());
  }
  return handler.cancel(pending.confirmId, actor, chat);
}

function safeUserName(): string {
  try {
    return userInfo().username || 'console';
  } catch {
    return 'console';
  }
}
