import type { JobQueue } from '../jobs/queue.js';
import type { Verification } from '../verification/index.js';
import { pendingVerifications, waitingLine } from './pending-verifications.js';
import { waitForJob } from './process.js';

/** What the console adapter gets from the process: how to wait for a job, and for the work in flight at end of input. */
export interface ConsoleSession {
  waitForJob(jobNumber: number): Promise<void>;
  drain(): Promise<void>;
  stop: AbortSignal;
}

export interface ConsoleSessionDeps {
  queue: JobQueue;
  verification: Verification;
  /** The console adapter itself, started by the composition root (only it names a platform). */
  run(session: ConsoleSession): Promise<void>;
}

/**
 * The console on stdin/stdout until end of input — or until SIGTERM/SIGINT, which stop
 * reading and waiting; the caller's shutdown then lets the running job finish, and a
 * pending verification stays in Redis for the next bot to pick up.
 */
export async function runConsoleSession(deps: ConsoleSessionDeps, signalled: Promise<void>): Promise<void> {
  const stop = new AbortController();
  void signalled.then(() => stop.abort());
  await deps.run({
    waitForJob: (jobNumber) => waitForJob(deps.queue, jobNumber, stop.signal),
    // Verification is in-flight work too: at end of input the console waits for its verdict, and says so.
    drain: async () => {
      const pending = await pendingVerifications(deps.verification.queue, Date.now());
      if (pending.length > 0) process.stdout.write(`${waitingLine(pending)}\n`);
      await deps.verification.queue.settled(200, stop.signal);
      if (!stop.signal.aborted) await deps.verification.settled();
    },
    stop: stop.signal,
  });
}
