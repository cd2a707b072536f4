import type { Logger } from 'pino';

/**
 * One structured line per refused request, at most `limit` per window: a flood of forged or
 * malformed requests must not flood the log. What a window suppressed is said once, when the
 * next line is written after it.
 */
export class RefusalLog {
  private windowStart = 0;
  private written = 0;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly limit = 20,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  refused(fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) this.log.warn({ suppressed: this.suppressed, windowMs: this.windowMs }, `${this.suppressed} more refused requests were not logged`);
      this.windowStart = now;
      this.written = 0;
      this.suppressed = 0;
    }
    if (this.written >= this.limit) {
      this.suppressed += 1;
      return;
    }
    this.written += 1;
    this.log.warn(fields, message);
  }
}
