import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Message } from '../core/message.js';

/**
 * Edits one chat message at most once per interval, sending only the latest state:
 * Slack and Teams rate-limit edits, and a stale intermediate state is worth nothing.
 * The final state is never dropped; it waits for the interval like any other edit.
 */
export class ProgressEditor {
  private pending: Message | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private finished = false;

  constructor(
    private readonly send: (message: Message) => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /** Queues `message` as the latest state; earlier unsent states are dropped. */
  push(message: Message): void {
    if (this.finished) return;
    this.pending = message;
    this.schedule();
  }

  /** Sends `message` as the last edit, after any edit already on its way. */
  async finish(message: Message): Promise<void> {
    this.finished = true;
    this.pending = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await delay(Math.max(0, this.lastSentAt + this.intervalMs - Date.now()));
    this.lastSentAt = Date.now();
    await this.send(message);
  }

  private schedule(): void {
    if (this.timer || this.inFlight) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const message = this.pending;
    if (!message || this.finished) return;
    this.pending = undefined;
    this.lastSentAt = Date.now();
    this.inFlight = this.send(message)
      .catch((error: unknown) => this.log.warn({ err: error }, 'progress edit failed; the next state will try again'))
      .finally(() => {
        this.inFlight = undefined;
        if (this.pending && !this.finished) this.schedule();
      });
  }
}
