import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../core/metrics.js';

/** The routes the bot serves; anything else is 'other', so a scan of random paths cannot grow the label set. */
const ROUTES = ['/slack/events', '/api/messages', '/webhooks/alertmanager', '/webhooks/pagerduty', '/health/live', '/health/ready', '/metrics'];
const WEBHOOKS: Record<string, string> = { '/webhooks/alertmanager': 'alertmanager', '/webhooks/pagerduty': 'pagerduty' };

function webhookOutcome(status: number): string {
  if (status < 400) return 'accepted';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 413) return 'too_large';
  return status < 500 ? 'rejected' : 'error';
}

/** Latency of every answer, and each webhook's outcome, measured when the response is finished. */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = ROUTES.includes(req.path) ? req.path : 'other';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ route, method: req.method, status: String(res.statusCode) }, seconds);
      const source = WEBHOOKS[route];
      if (source) metrics.webhooks.inc({ source, outcome: webhookOutcome(res.statusCode) });
    });
    next();
  };
}
