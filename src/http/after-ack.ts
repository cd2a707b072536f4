import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';

/**
 * Runs the work that follows an ack, a bounded number at a time. The platforms'
 * deadlines (Slack: 3 s) are for the ack; the work (Redis, the handler, Web API
 * calls) can wait a moment. Bounding it keeps a burst of requests from starving
 * the acks of later ones on the one event loop, and each item starts on its own
 * turn of the loop so incoming requests are read and acked in between.
 */
export class AfterAck {
  private readonly queue: Array<() => Promise<void>> = [];
  private running = 0;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues `work`; it should handle its own errors — what escapes goes to onError. */
  run(work: () => Promise<void>): void {
    this.queue.push(work);
    this.pump();
  }

  /** Work running or waiting its turn. */
  get backlog(): number {
    return this.running + this.queue.length;
  }

  /** Resolves when nothing is queued or running: for shutdown. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const work = this.queue.shift()!;
      this.running += 1;
      setImmediate(() => {
        work()
          .catch(this.onError)
          .finally(() => {
            this.running -= 1;
            this.pump();
            if (this.running === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
          });
      });
    }
  }
}

/**
 * An adapter's stop(): acknowledged work, then pending message edits, each for at most
 * `ms`. Bounded because with the platform unreachable its client's retries could hold
 * shutdown past the pod's grace period, and a SIGKILL then says nothing of what was left.
 */
export async function drainWithin(afterAck: AfterAck, flush: () => Promise<void>, ms: number, log: Logger): Promise<void> {
  const timeout = () => delay(ms, false, { ref: false });
  if (!(await Promise.race([afterAck.idle().then(() => true), timeout()]))) {
    log.error({ unfinished: afterAck.backlog, waitedMs: ms }, 'stopping with acknowledged requests unfinished');
  }
  if ((await Promise.race([flush().then(() => true), timeout()])) === false) log.error({ waitedMs: ms }, 'stopping with message edits unsent');
}
