import type { AuditEntry, AuditSink } from '../core/audit.js';
import type { Metrics } from '../core/metrics.js';

const VERDICTS = new Set(['pass', 'regression', 'not verified', 'failed']);

/**
 * Job and verification metrics read off the audit trail, which already records every
 * job start and end and every verdict: one source of truth for both, and no counting
 * code inside the job runner or the verifier.
 */
export class MeteredAudit implements AuditSink {
  /** Jobs started here: a stalled job reported failed by another process must not drive this process's gauge below zero. */
  private readonly running = new Set<string>();

  constructor(
    private readonly inner: AuditSink,
    private readonly metrics: Metrics,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.inner.record(entry);
    this.observe(entry);
  }

  private observe(entry: AuditEntry): void {
    const verb = entry.action ?? 'unknown';
    if (entry.type === 'job.started' && entry.jobId && !this.running.has(entry.jobId)) {
      this.running.add(entry.jobId);
      this.metrics.jobsRunning.inc({ verb });
    } else if (entry.type === 'job.finished' || entry.type === 'job.failed') {
      if (entry.jobId && this.running.delete(entry.jobId)) this.metrics.jobsRunning.dec({ verb });
      const outcome = entry.type === 'job.failed' ? 'failed' : entry.decision === 'cancelled' ? 'cancelled' : 'finished';
      if (entry.durationMs !== undefined) this.metrics.jobDuration.observe({ verb, outcome }, entry.durationMs / 1000);
    } else if (entry.type === 'evidence' && entry.result && VERDICTS.has(entry.result)) {
      this.metrics.verdicts.inc({ verdict: entry.result });
    }
  }
}
