import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PagerDutySync, PagerDutyWebhook } from '../handlers/pagerduty-sync.js';
import type { AlertmanagerPayload } from './alertmanager-payload.js';

export const ALERT_QUEUE = 'alerts';

export type AlertJob = { kind: 'alertmanager'; payload: AlertmanagerPayload } | { kind: 'pagerduty'; webhook: PagerDutyWebhook };

/**
 * The web side of alert intake: a webhook is answered as soon as its notification
 * is safely in Redis. The jobId is derived from what was delivered (groupKey + a
 * hash of the body; PagerDuty's event id), so a retried delivery is the same job
 * and is never processed twice.
 */
export class AlertQueue {
  readonly queue: Queue<AlertJob>;

  constructor(connection: Redis, prefix: string, log?: Logger) {
    this.queue = new Queue<AlertJob>(ALERT_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 48 * 3600, count: 50_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    this.queue.on('error', (error) => log?.warn({ err: error }, 'alert queue: Redis error'));
  }

  async addNotification(payload: AlertmanagerPayload, rawBody: Buffer): Promise<string> {
    const digest = createHash('sha256').update(payload.groupKey).update('\0').update(rawBody).digest('hex');
    const jobId = `am-${digest.slice(0, 40)}`;
    await this.queue.add('alertmanager', { kind: 'alertmanager', payload }, { jobId });
    return jobId;
  }

  async addPagerDutyEvent(webhook: PagerDutyWebhook): Promise<string> {
    const jobId = `pd-${createHash('sha256').update(webhook.event.id).digest('hex').slice(0, 40)}`;
    await this.queue.add('pagerduty', { kind: 'pagerduty', webhook }, { jobId });
    return jobId;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface AlertWorkerDeps {
  connection: Redis;
  prefix: string;
  log: Logger;
  /** Merges a notification into its incident and schedules its cards. */
  ingest(payload: AlertmanagerPayload): Promise<void>;
  pagerduty: PagerDutySync;
  concurrency?: number;
}

export function startAlertWorker(deps: AlertWorkerDeps): Worker<AlertJob> {
  const worker = new Worker<AlertJob>(
    ALERT_QUEUE,
    async (job) => {
      if (job.data.kind === 'alertmanager') await deps.ingest(job.data.payload);
      else await deps.pagerduty.apply(job.data.webhook);
    },
    // Started by Incidents.start(), once the chats that cards go to are connected.
    { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency ?? 16, autorun: false },
  );
  worker.on('failed', (job, error) => deps.log.error({ err: error, jobId: job?.id, attempts: job?.attemptsMade }, 'alert job failed'));
  worker.on('error', (error) => deps.log.warn({ err: error }, 'alert worker: Redis error'));
  return worker;
}
