import { ExpressReceiver, type Logger as SlackLogger } from '@slack/bolt';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own payloads are a few kB; anything near this is not from Slack. */
export const SLACK_BODY_LIMIT = 64 * 1024;
const WINDOW_SECONDS = 5 * 60;

export interface SlackReceiverOptions {
  app: Express;
  signingSecret: string;
  log: Logger;
  sdkLogger: SlackLogger;
  now?: () => number;
}

/**
 * Mounts Bolt's receiver on the bot's one express listener at /slack/events.
 * Bolt checks the HMAC signature (in constant time), stale timestamps and the body
 * limit (401 / 413); in front of it we also refuse timestamps from the future,
 * which Bolt lets through, and requests without signature headers — before the
 * body is even read. Nothing behind a refusal runs.
 */
export function mountSlackReceiver(options: SlackReceiverOptions): ExpressReceiver {
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'slack-receiver' });
  options.app.post(SLACK_EVENTS_PATH, (req: Request, res: Response, next: NextFunction) => {
    const refusal = checkHeaders(req, Math.floor(now() / 1000));
    if (refusal) {
      log.warn({ reason: refusal, retryNum: req.headers['x-slack-retry-num'] }, 'refused a Slack request');
      res.status(401).send();
      return;
    }
    next();
  });
  return new ExpressReceiver({
    app: options.app,
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    bodyLimit: SLACK_BODY_LIMIT,
    logger: options.sdkLogger,
    processBeforeResponse: false,
  });
}

function checkHeaders(req: Request, nowSeconds: number): string | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || !signature.startsWith('v0=')) return 'missing or malformed signature';
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed timestamp';
  if (Math.abs(nowSeconds - Number(timestamp)) > WINDOW_SECONDS) return 'timestamp outside the 5-minute window';
  return undefined;
}
