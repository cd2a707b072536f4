import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { PagerDutySync } from '../../src/pipeline/pagerduty-sync.js';
import { AlertQueue, startAlertWorker } from '../../src/incidents/alert-queue.js';
import { AlertmanagerPayload } from '../../src/incidents/alertmanager-payload.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefix = testPrefix('alert-retention').replaceAll(':', '-');
const queue = new AlertQueue(redis, prefix);
const log = pino({ level: 'silent' });

afterAll(async () => {
  await queue.close();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('a notification that fails for good', () => {
  it('keeps a summary in Redis, not its payload', { timeout: 15_000 }, async () => {
    const worker = startAlertWorker({
      connection: redis,
      prefix,
      log,
      ingest: async () => {
        throw new Error('the incident store is broken');
      },
      pagerduty: {} as PagerDutySync,
    });
    worker.run().catch(() => {});
    const payload = AlertmanagerPayload.parse(highErrorRate('{}:{alertname="retention-failed"}'));
    payload.alerts[0]!.annotations.description = 'x'.repeat(100_000);
    // One attempt, so that the test need not wait out eight backoffs.
    const job = await queue.queue.add('alertmanager', { kind: 'alertmanager', payload }, { jobId: 'am-retention-failed', attempts: 1 });
    const deadline = Date.now() + 10_000;
    let data: unknown;
    while (Date.now() < deadline) {
      const stored = await queue.queue.getJob(job.id!);
      if (stored && (await stored.isFailed()) && 'key' in (stored.data as object)) {
        data = stored.data;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await worker.close();
    expect(data).toEqual({ kind: 'alertmanager', key: '{}:{alertname="retention-failed"}', alerts: 1 });
  });
});
