import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * What the bot itself just changed in PagerDuty. PagerDuty echoes every change back
 * as a webhook; the echo of our own change finds its key here (once) and is not
 * announced again, so a chat Acknowledge never becomes two messages or a loop.
 */
export class PagerDutyEchoes {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  private key(incidentId: string, change: string): string {
    return `${this.prefix}:pd-echo:${incidentId}:${change}`;
  }

  /** Called before the REST call: the webhook can arrive before the call returns. */
  async expect(incidentId: string, change: EchoChange): Promise<void> {
    await this.redis.set(this.key(incidentId, changeKey(change)), '1', 'PX', this.ttlMs);
  }

  async forget(incidentId: string, change: EchoChange): Promise<void> {
    await this.redis.del(this.key(incidentId, changeKey(change)));
  }

  /** True once for a change the bot made; false for everyone else's. */
  async isOurs(incidentId: string, change: EchoChange): Promise<boolean> {
    return (await this.redis.del(this.key(incidentId, changeKey(change)))) === 1;
  }
}

export type EchoChange = { status: 'acknowledged' | 'resolved' } | { note: string };

function changeKey(change: EchoChange): string {
  if ('status' in change) return change.status;
  return `note-${createHash('sha256').update(change.note.trim()).digest('hex').slice(0, 16)}`;
}
