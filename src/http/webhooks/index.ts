import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { PagerDutyWebhook } from '../../pipeline/pagerduty-sync.js';
import type { AlertQueue } from '../../incidents/alert-queue.js';
import { AlertmanagerPayload } from '../../incidents/alertmanager-payload.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../json-depth.js';
import { type AlertmanagerAuth, alertmanagerAuthorized, pagerDutySignatureValid } from './auth.js';

export { type AlertmanagerAuth, AlertmanagerEnvShape, alertmanagerAuthorized, pagerDutySignatureValid, safeEqual } from './auth.js';

export const ALERTMANAGER_PATH = '/webhooks/alertmanager';
export const PAGERDUTY_PATH = '/webhooks/pagerduty';
/** Alertmanager bodies grow with the group (max_alerts caps them); 1 MB is thousands of alerts. */
export const WEBHOOK_BODY_LIMIT = '1mb';

export interface WebhookOptions {
  app: Express;
  queue: AlertQueue;
  log: Logger;
  /** Without either credential the Alertmanager route refuses everything (401). */
  alertmanager: AlertmanagerAuth;
  /** PAGERDUTY_WEBHOOK_SECRET, split on commas; empty: the route refuses everything. */
  pagerdutySecrets: string[];
}

/**
 * The two webhook receivers on the bot's listener. Each verifies its caller before
 * reading the body as anything but bytes, refuses oversized (413) and malformed
 * (400) bodies, and answers as soon as the notification is queued in Redis.
 */
export function mountWebhooks(options: WebhookOptions): void {
  const { app, queue } = options;
  const log = options.log.child({ component: 'webhooks' });
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });

  app.post(
    ALERTMANAGER_PATH,
    (req, res, next) => {
      // Refused before the body is read: an unauthenticated caller gets no parsing at all.
      if (!alertmanagerAuthorized(req.headers.authorization, options.alertmanager)) {
        res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'missing or wrong credentials: set http_config.authorization to ALERTMANAGER_TOKEN' });
        return;
      }
      next();
    },
    raw,
    async (req: Request, res: Response) => {
      const body = req.body as Buffer;
      if (tooDeep(body, res)) return;
      const parsed = AlertmanagerPayload.safeParse(parseJson(body));
      if (!parsed.success) {
        res.status(400).json({ error: 'not an Alertmanager webhook v4 payload', issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
        return;
      }
      try {
        const { id, duplicate } = await queue.addNotification(parsed.data, body);
        res.status(200).json({ status: duplicate ? 'duplicate' : 'queued', id });
      } catch (error) {
        // A 5xx makes Alertmanager retry: nothing is lost while Redis is away.
        log.error({ err: error }, 'could not queue an Alertmanager notification');
        res.status(503).json({ error: 'could not queue the notification; retry' });
      }
    },
  );

  const unsigned = (res: Response) => res.status(401).json({ error: 'missing or wrong X-PagerDuty-Signature: check PAGERDUTY_WEBHOOK_SECRET' });
  app.post(
    PAGERDUTY_PATH,
    (req, res, next) => {
      // The HMAC needs the body, but whether there is a signature at all does not: no 1 MB read for a caller without one.
      if (options.pagerdutySecrets.length === 0 || !String(req.headers['x-pagerduty-signature'] ?? '').includes('v1=')) {
        unsigned(res);
        return;
      }
      next();
    },
    raw,
    async (req: Request, res: Response) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.headers['x-pagerduty-signature'];
      if (!pagerDutySignatureValid(typeof signature === 'string' ? signature : undefined, body, options.pagerdutySecrets)) {
        unsigned(res);
        return;
      }
      if (tooDeep(body, res)) return;
      const parsed = PagerDutyWebhook.safeParse(parseJson(body));
      if (!parsed.success) {
        res.status(400).json({ error: 'not a PagerDuty v3 webhook' });
        return;
      }
      try {
        const { id, duplicate } = await queue.addPagerDutyEvent(parsed.data);
        res.status(202).json({ status: duplicate ? 'duplicate' : 'queued', id });
      } catch (error) {
        log.error({ err: error }, 'could not queue a PagerDuty webhook event');
        res.status(503).json({ error: 'could not queue the event; retry' });
      }
    },
  );

  // body-parser's 413 for these routes, answered before the app's generic handler.
  app.use([ALERTMANAGER_PATH, PAGERDUTY_PATH], (error: Error & { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error.status === 413) {
      res.status(413).json({ error: `body larger than ${WEBHOOK_BODY_LIMIT}; lower max_alerts in the webhook_config` });
      return;
    }
    next(error);
  });
}

/**
 * A body nested past what any sender produces can never be stored (serialising it into
 * Redis overflows the stack): 400, so the sender stops, rather than a 503 it retries for hours.
 */
function tooDeep(body: Buffer, res: Response): boolean {
  if (!nestsDeeperThan(body.toString('utf8'))) return false;
  res.status(400).json({ error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels: not a webhook payload this receiver can store` });
  return true;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
