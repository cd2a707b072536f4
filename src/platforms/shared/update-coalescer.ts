import { setTimeout as delay } from 'node:timers/promises';
/**
 * Per-message edit throttle. Progress can arrive many times a second, but Slack
 * allows roughly one chat.update per second per message before answering 429;
 * edits made while one is waiting are coalesced into the newest, and the newest
 * is always sent — so the final state of a message is never dropped.
 */
export class UpdateCoalescer<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(
    private readonly send: (key: string, value: T) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Resolves once `value`, or a newer value for the same key, has been sent. */
  submit(key: string, value: T): Promise<void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { lastSentAt: 0, waiters: [], draining: undefined };
      this.slots.set(key, slot);
    }
    const current = slot;
    return new Promise<void>((resolve, reject) => {
      current.pending = { value };
      current.waiters.push({ resolve, reject });
      current.draining ??= this.drain(key, current);
    });
  }

  /** Waits until every submitted edit has been sent (or has failed): for shutdown. */
  async idle(): Promise<void> {
    while (true) {
      const draining = [...this.slots.values()].map((s) => s.draining).filter((d): d is Promise<void> => d !== undefined);
      if (draining.length === 0) return;
      await Promise.allSettled(draining);
    }
  }

  private async drain(key: string, slot: Slot<T>): Promise<void> {
    while (slot.pending) {
      const wait = slot.lastSentAt + this.intervalMs - Date.now();
      if (wait > 0) await delay(wait);
      const { value } = slot.pending;
      const waiters = slot.waiters;
      slot.pending = undefined;
      slot.waiters = [];
      try {
        await this.send(key, value);
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
      slot.lastSentAt = Date.now();
    }
    slot.draining = undefined;
    // Forget the message once its interval has passed: the next edit may go straight out anyway.
    setTimeout(() => {
      if (!slot.draining && this.slots.get(key) === slot) this.slots.delete(key);
    }, this.intervalMs).unref();
  }
}

interface Slot<T> {
  lastSentAt: number;
  pending?: { value: T };
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  draining: Promise<void> | undefined;
}
