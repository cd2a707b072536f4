import type { Platform } from '../core/request.js';

/** How long an incident and everything about it is kept after its last change. */
export const KEEP_SECONDS = 30 * 24 * 3600;

/**
 * The Redis key names of incidents, in one place: the state, the cards and the
 * lookups are separate modules over the same keys, and a key renamed in one of
 * them alone would strand what the others wrote.
 */
export class IncidentKeys {
  constructor(private readonly prefix: string) {}

  incident(id: string, part = ''): string {
    return `${this.prefix}:incident:${id}${part ? `:${part}` : ''}`;
  }

  sequence(): string {
    return `${this.prefix}:incident-seq`;
  }

  button(value: string): string {
    return `${this.prefix}:alert-button:${value}`;
  }

  number(number: number): string {
    return `${this.prefix}:incident-number:${number}`;
  }

  thread(platform: Platform, conversation: string, threadId: string): string {
    return `${this.prefix}:incident-thread:${platform}:${conversation}:${threadId}`;
  }

  byDedup(dedupKey: string): string {
    return `${this.prefix}:incident-by-dedup:${dedupKey}`;
  }

  byPagerDuty(pdIncidentId: string): string {
    return `${this.prefix}:incident-by-pd:${pdIncidentId}`;
  }

  open(service: string, env: string): string {
    return `${this.prefix}:incident-open:${service}:${env}`;
  }
}
