import { describe, expect, it } from 'vitest';
import { MeteredAudit } from '../../src/app/metered-audit.js';
import { MeteredChats } from '../../src/app/metered-chats.js';
import type { AuditEntry } from '../../src/core/audit.js';
import { Metrics } from '../../src/core/metrics.js';
import { MemoryAudit } from '../fixtures/memory-audit.js';
import { RecordingChat } from '../fixtures/recording-chat.js';

const actor = { id: 'U0ADA', name: 'ada', platform: 'slack' as const };

function job(type: AuditEntry['type'], jobId: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { type, requestId: 'r1', actor, action: 'rollback', service: 'maestro-orchestrator', env: 'prod', jobId, ...extra };
}

async function value(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  // A histogram's _sum and _count are values of its family, told apart by metricName.
  const family = name.replace(/_(sum|count|bucket)$/, '');
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name || m.name === family);
  return metric?.values.find((v) => ((v as { metricName?: string }).metricName ?? metric.name) === name && Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('job and verification metrics, read off the audit trail', () => {
  it('counts a job running while it runs, and observes its duration by verb and outcome when it ends', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const inner = new MemoryAudit();
    const audit = new MeteredAudit(inner, metrics);
    await audit.record(job('job.started', '1'));
    expect(await value(metrics, 'maestro_bot_jobs_running', { verb: 'rollback' })).toBe(1);
    await audit.record(job('job.finished', '1', { durationMs: 42_000 }));
    expect(await value(metrics, 'maestro_bot_jobs_running', { verb: 'rollback' })).toBe(0);
    expect(await value(metrics, 'maestro_bot_job_duration_seconds_sum', { verb: 'rollback', outcome: 'finished' })).toBe(42);
    expect(inner.entries.map((e) => e.type)).toEqual(['job.started', 'job.finished']);
  });

  it('tells failed and cancelled jobs apart', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const audit = new MeteredAudit(new MemoryAudit(), metrics);
    await audit.record(job('job.failed', '2', { durationMs: 1000 }));
    await audit.record(job('job.finished', '3', { durationMs: 1000, decision: 'cancelled' }));
    expect(await value(metrics, 'maestro_bot_job_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(await value(metrics, 'maestro_bot_job_duration_seconds_count', { outcome: 'cancelled' })).toBe(1);
  });

  it('does not go below zero when another process reports a stalled job failed', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const audit = new MeteredAudit(new MemoryAudit(), metrics);
    await audit.record(job('job.failed', 'not-started-here'));
    expect(await value(metrics, 'maestro_bot_jobs_running', { verb: 'rollback' })).toBeUndefined();
  });

  it('counts verification verdicts, not the pending record written first', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const audit = new MeteredAudit(new MemoryAudit(), metrics);
    await audit.record(job('evidence', 'e', { result: 'pending' }));
    await audit.record(job('evidence', 'e', { result: 'regression' }));
    expect(await value(metrics, 'maestro_bot_verification_verdicts_total', { verdict: 'regression' })).toBe(1);
    expect(await value(metrics, 'maestro_bot_verification_verdicts_total', { verdict: 'pending' })).toBeUndefined();
  });
});

describe('chat API calls', () => {
  it('counts each call by platform, method and outcome, and passes errors on', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const chats = new MeteredChats(metrics);
    const failing = new (class extends RecordingChat {
      override async post(): Promise<never> {
        throw new Error('503');
      }
    })('teams');
    chats.set('slack', new RecordingChat('slack'));
    chats.set('teams', failing);
    const ref = await chats.get('slack')!.post('C0', { title: 'hello' });
    await chats.get('slack')!.update(ref, { title: 'hello again' });
    await expect(chats.get('teams')!.post('19:x', { title: 'hello' })).rejects.toThrow('503');
    expect(await value(metrics, 'maestro_bot_chat_calls_total', { platform: 'slack', method: 'post', outcome: 'ok' })).toBe(1);
    expect(await value(metrics, 'maestro_bot_chat_calls_total', { platform: 'slack', method: 'update', outcome: 'ok' })).toBe(1);
    expect(await value(metrics, 'maestro_bot_chat_calls_total', { platform: 'teams', method: 'post', outcome: 'error' })).toBe(1);
  });
});
