import { z } from 'zod';

/**
 * Alertmanager's webhook body, version 4. Unknown keys are kept (newer Alertmanagers
 * add `notification_reason`), but every key we rely on is checked, so a malformed
 * body is refused with a 400 before anything is stored or posted.
 */
const labels = z.record(z.string(), z.string());

export const AlertmanagerAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labels.refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, 'labels.alertname is required'),
  annotations: labels.default({}),
  startsAt: z.string().min(1),
  endsAt: z.string().default(''),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1).max(128),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

export const AlertmanagerPayload = z.looseObject({
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
