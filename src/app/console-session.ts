import type { Logger } from 'pino';
import { runConsole } from '../platforms/console/console-adapter.js';
import type { ConsoleChat } from '../platforms/console/console-chat.js';
import type { CommandHandler } from '../pipeline/command.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Verification } from '../verification/index.js';
import { pendingVerifications, waitingLine } from './pending-verifications.js';
import { waitForJob } from './process.js';

export interface ConsoleSessionDeps {
  handler: CommandHandler;
  chat: ConsoleChat;
  queue: JobQueue;
  verification: Verification;
}

/**
 * The console on stdin/stdout until end of input — or until SIGTERM/SIGINT, which stop
 * reading and waiting; the caller's shutdown then lets the running job finish, and a
 * pending verification stays in Redis for the next bot to pick up.
 */
export async function runConsoleSession(deps: ConsoleSessionDeps, signalled: Promise<void>, log: Logger): Promise<void> {
  const stop = new AbortController();
  void signalled.then(() => stop.abort());
  await runConsole({
    handler: deps.handler,
    chat: deps.chat,
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY),
    waitForJob: (jobNumber) => waitForJob(deps.queue, jobNumber, stop.signal),
    // Verification is in-flight work too: at end of input the console waits for its verdict, and says so.
    drain: async () => {
      const pending = await pendingVerifications(deps.verification.queue, Date.now());
      if (pending.length > 0) process.stdout.write(`${waitingLine(pending)}\n`);
      await deps.verification.queue.settled(200, stop.signal);
      if (!stop.signal.aborted) await deps.verification.settled();
    },
    stop: stop.signal,
    log,
  });
}
