import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PagerDutySync, PagerDutyWebhook } from '../pipeline/pagerduty-sync.js';
import type { AlertmanagerPayload } from './alertmanager-payload.js';

export const ALERT_QUEUE = 'alerts';

export type AlertJob = { kind: 'alertmanager'; payload: AlertmanagerPayload } | { kind: 'pagerduty'; webhook: PagerDutyWebhook };

/**
 * How long a delivery is remembered, to recognise a retry of it. Alertmanager retries
 * a failed notification with backoff until about its group_interval (5 minutes by
 * default) and then sends the group anew; PagerDuty retries a webhook for minutes too.
 * An hour covers both with room, in ~100 bytes per delivery.
 */
export const DELIVERY_DEDUPE_SECONDS = 3600;
/** Failed jobs kept for inspection; each keeps only a summary of what it carried (see `summarised`). */
export const FAILED_JOBS_KEPT = 1_000;

/** What one delivery was, without what it carried: all a failed job keeps. */
export interface DeliverySummary {
  kind: AlertJob['kind'];
  /** groupKey or PagerDuty event id, cut to 200 characters. */
  key: string;
  alerts?: number;
}

/**
 * The web side of alert intake: a webhook is answered as soon as its notification
 * is safely in Redis. A retried delivery is recognised by a small dedupe key of its
 * own (groupKey + a hash of the body; PagerDuty's event id), kept apart from the
 * payload, so it is never processed twice. Payloads stay in Redis only while they
 * wait: a completed job is removed at once (the incident store has what it needs),
 * and a failed one keeps a summary, so Redis holds bytes in proportion to the
 * backlog, not to the last 48 hours of alert traffic.
 */
export class AlertQueue {
  readonly queue: Queue<AlertJob>;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    log?: Logger,
  ) {
    this.queue = new Queue<AlertJob>(ALERT_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600, count: FAILED_JOBS_KEPT },
      },
    });
    this.queue.on('error', (error) => log?.warn({ err: error }, 'alert queue: Redis error'));
  }

  /** The job id, and whether this delivery was seen before (then nothing was queued). */
  async addNotification(payload: AlertmanagerPayload, rawBody: Buffer): Promise<{ id: string; duplicate: boolean }> {
    const digest = createHash('sha256').update(payload.groupKey).update('\0').update(rawBody).digest('hex');
    return this.addOnce(`am-${digest.slice(0, 40)}`, 'alertmanager', { kind: 'alertmanager', payload });
  }

  async addPagerDutyEvent(webhook: PagerDutyWebhook): Promise<{ id: string; duplicate: boolean }> {
    const id = `pd-${createHash('sha256').update(webhook.event.id).digest('hex').slice(0, 40)}`;
    return this.addOnce(id, 'pagerduty', { kind: 'pagerduty', webhook });
  }

  /** Redis key of a delivery's dedupe marker. */
  deliveryKey(id: string): string {
    return `${this.prefix}:alert-delivery:${id}`;
  }

  private async addOnce(id: string, name: AlertJob['kind'], data: AlertJob): Promise<{ id: string; duplicate: boolean }> {
    const first = await this.connection.set(this.deliveryKey(id), '1', 'EX', DELIVERY_DEDUPE_SECONDS, 'NX');
    if (first !== 'OK') return { id, duplicate: true };
    try {
      await this.queue.add(name, data, { jobId: id });
    } catch (error) {
      // Not queued, so not delivered: the sender's retry must be taken, not ignored.
      await this.connection.del(this.deliveryKey(id)).catch(() => undefined);
      throw error;
    }
    return { id, duplicate: false };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** What a job that failed for good keeps of its data. */
export function summarised(data: AlertJob): DeliverySummary {
  return data.kind === 'alertmanager'
    ? { kind: data.kind, key: data.payload.groupKey.slice(0, 200), alerts: data.payload.alerts.length }
    : { kind: data.kind, key: data.webhook.event.id.slice(0, 200) };
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
  worker.on('failed', (job, error) => {
    deps.log.error({ err: error, jobId: job?.id, attempts: job?.attemptsMade }, 'alert job failed');
    // Failed for good: the job is kept to be looked at, its payload (up to 1 MB) is not.
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1) && 'kind' in job.data && !('key' in job.data)) {
      job.updateData(summarised(job.data) as unknown as AlertJob).catch((e: unknown) => deps.log.warn({ err: e, jobId: job.id }, 'could not trim a failed alert job'));
    }
  });
  worker.on('error', (error) => deps.log.warn({ err: error }, 'alert worker: Redis error'));
  return worker;
}
