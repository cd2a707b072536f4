import { z } from 'zod';

/**
 * Alertmanager's webhook body, version "4". Objects are not strict: newer
 * Alertmanagers add fields (notification_reason) that must not turn into 400s,
 * because Alertmanager does not retry a 4xx and the notification would be lost.
 */
const Labels = z.record(z.string(), z.string());

export const AlertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: z.string().min(1),
  endsAt: z.string().default(''),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlertSchema>;

export const AlertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: Labels,
  commonLabels: Labels,
  commonAnnotations: Labels,
  externalURL: z.string(),
  alerts: z.array(AlertmanagerAlertSchema).min(1),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayloadSchema>;
