import { describe, expect, it } from 'vitest';
import { MeteredAudit } from '../../src/app/metered-audit.js';
import type { AuditEntry } from '../../src/core/audit.js';
import { Metrics } from '../../src/core/metrics.js';
import { MemoryAudit } from '../fixtures/memory-audit.js';
import { metricValue } from '../support/metric-value.js';

const actor = { id: 'U0ADA', name: 'ada', platform: 'slack' as const };

function job(type: AuditEntry['type'], jobId: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { type, requestId: 'r1', actor, action: 'rollback', service: 'maestro-orchestrator', env: 'prod', jobId, ...extra };
}

describe('job and verification metrics, read off the audit trail', () => {
  it('counts a job running while it runs, and observes its duration by verb and outcome when it ends', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const inner = new MemoryAudit();
    const audit = new MeteredAudit(inner, metrics);
    await audit.record(job('job.started', '1'));
    expect(await metricValue(metrics, 'maestro_bot_jobs_running', { verb: 'rollback' })).toBe(1);
    await audit.record(job('job.finished', '1', { durationMs: 42_000 }));
    expect(await metricValue(metrics, 'maestro_bot_jobs_running', { verb: 'rollback' })).toBe(0);
    expect(await metricValue(metrics, 'maestro_bot_job_duration_seconds_sum', { verb: 'rollback', outcome: 'finished' })).toBe(42);
    expect(inner.entries.map((e) => e.type)).toEqual(['job.started', 'job.finished']);
  });

  it('tells failed and cancelled jobs apart', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const audit = new MeteredAudit(new MemoryAudit(), metrics);
    await audit.record(job('job.failed', '2', { durationMs: 1000 }));
    await audit.record(job('job.finished', '3', { durationMs: 1000, decision: 'cancelled' }));
    expect(await metricValue(metrics, 'maestro_bot_job_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(await metricValue(metrics, 'maestro_bot_job_duration_seconds_count', { outcome: 'cancelled' })).toBe(1);
  });

  it('does not go below zero when another process reports a stalled job failed', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const audit = new MeteredAudit(new MemoryAudit(), metrics);
    await audit.record(job('job.failed', 'not-started-here'));
    expect(await metricValue(metrics, 'maestro_bot_jobs_running', { verb: 'rollback' })).toBeUndefined();
  });

  it('counts verification verdicts, not the pending record written first', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const audit = new MeteredAudit(new MemoryAudit(), metrics);
    await audit.record(job('evidence', 'e', { result: 'pending' }));
    await audit.record(job('evidence', 'e', { result: 'regression' }));
    expect(await metricValue(metrics, 'maestro_bot_verification_verdicts_total', { verdict: 'regression' })).toBe(1);
    expect(await metricValue(metrics, 'maestro_bot_verification_verdicts_total', { verdict: 'pending' })).toBeUndefined();
  });
});
