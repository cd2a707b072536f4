import { z } from 'zod';

/**
 * Alertmanager's webhook body, version 4 (prometheus/alertmanager docs, "webhook_config").
 * Every key we rely on is checked, so a malformed body is refused with a 400 before
 * anything is stored or posted; unknown keys (newer Alertmanagers add
 * `notification_reason`) are dropped, not kept: the queue and the incident store hold
 * only what the incident needs, and nothing nested without bound rides along.
 */
const labels = z.record(z.string(), z.string());

export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labels.refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, 'labels.alertname is required'),
  annotations: labels.default({}),
  startsAt: z.string().min(1),
  endsAt: z.string().default(''),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1).max(128),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

export const AlertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1).max(4096),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string(),
  alerts: z.array(AlertmanagerAlert).min(1).max(5000),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;
