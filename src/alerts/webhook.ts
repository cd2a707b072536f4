import { createHash, timingSafeEqual } from 'node:crypto';
import type { Queue } from 'bullmq';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { type AlertmanagerPayload, AlertmanagerPayloadSchema } from './payload.js';

export const ALERTS_QUEUE = 'alerts';
export const WEBHOOK_PATH = '/webhooks/alertmanager';
const BODY_LIMIT = '1mb';

export interface AlertJobData {
  payload: AlertmanagerPayload;
  receivedAt: string;
}

export interface WebhookDeps {
  queue: Queue<AlertJobData>;
  /** The bearer token Alertmanager sends; without one the route refuses everything. */
  token?: string;
  log: Logger;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Hashing first gives equal-length buffers, so neither the token nor its length leaks through timing. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The same notification (Alertmanager retries on 5xx and timeouts) maps to one job. */
export function alertJobId(groupKey: string, body: string): string {
  return `a${createHash('sha256').update(groupKey).update('\n').update(body).digest('hex').slice(0, 40)}`;
}

export function mountAlertmanagerWebhook(app: Express, deps: WebhookDeps): void {
  const log = deps.log.child({ component: 'alertmanager-webhook' });
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });
  if (!deps.token) log.warn('ALERTMANAGER_TOKEN is not set: /webhooks/alertmanager refuses every request');

  // Checked before the body is read: an unauthenticated caller costs us no parsing.
  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    if (!deps.token) {
      log.error('alertmanager notification refused: no ALERTMANAGER_TOKEN configured');
      res.status(503).json({ error: 'alert intake is not configured' });
      return;
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match || !tokenMatches(match[1]!, deps.token)) {
      log.warn({ ip: req.ip, hasHeader: header.length > 0 }, 'alertmanager notification refused: bad bearer token');
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };

  const readBody = (req: Request, res: Response, next: NextFunction) => {
    raw(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status;
      const code = status && status >= 400 && status < 500 ? status : 400;
      res.status(code).json({ error: code === 413 ? `body larger than ${BODY_LIMIT}` : (error as Error).message });
    });
  };

  app.post(WEBHOOK_PATH, authenticate, readBody, async (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      res.status(400).json({ error: `malformed JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = AlertmanagerPayloadSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      log.warn({ problems }, 'alertmanager notification refused: not a version 4 payload');
      res.status(400).json({ error: 'not an Alertmanager webhook (version 4) payload', problems });
      return;
    }
    const payload = parsed.data;
    try {
      const jobId = alertJobId(payload.groupKey, body);
      await deps.queue.add(
        'notification',
        { payload, receivedAt: new Date().toISOString() },
        {
          jobId,
          attempts: 5,
          backoff: { type: 'exponential', delay: 500 },
          // Kept an hour so a late retry of the same notification is still recognised.
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 24 * 3600 },
        },
      );
      log.info({ jobId, groupKey: payload.groupKey, status: payload.status, alerts: payload.alerts.length }, 'alertmanager notification queued');
      res.status(200).json({ status: 'accepted' });
    } catch (error) {
      // 5xx: Alertmanager retries, which is what we want when Redis is away.
      log.error({ err: error }, 'alertmanager notification could not be queued');
      res.status(503).json({ error: 'could not queue the notification; retry' });
    }
  });
}
