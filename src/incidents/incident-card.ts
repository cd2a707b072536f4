import type { Field, Message, MessageAction, Severity as MessageSeverity } from '../core/message.js';
import { alertButtonId } from '../pipeline/buttons.js';
import type { Incident, StoredAlert } from './incident.js';

const FIELD_MAX = 1500;

/**
 * The incident card, the same on every platform: what fires, how badly, since
 * when, where to read more, and what can be done about it.
 */
export function incidentCard(incident: Incident, alerts: StoredAlert[], runbook?: string): Message {
  const closed = incident.status === 'resolved' || Boolean(incident.resolvedBy);
  const count = incident.status === 'firing' ? `[FIRING:${incident.firing}]` : '[RESOLVED]';
  const title = `${closed ? '✅' : '🔥'} ${count} ${incident.alertname}${incident.service ? ` — ${incident.service}` : ''}`;
  const sample = alerts.find((a) => a.status === 'firing') ?? alerts[0];
  const annotations = { ...(sample?.annotations ?? {}), ...incident.commonAnnotations };
  const fields: Field[] = [
    { label: 'Severity', value: incident.severity },
    { label: 'Status', value: statusText(incident) },
    { label: 'Alerts', value: `${incident.firing} firing, ${incident.resolved} resolved` },
    { label: 'Environment', value: incident.env },
    { label: 'Started', value: incident.startsAt },
  ];
  if (annotations.summary) fields.push({ label: 'Summary', value: clip(annotations.summary) });
  if (annotations.description) fields.push({ label: 'Description', value: clip(annotations.description) });
  const runbookUrl = annotations.runbook_url ?? annotations.runbook ?? runbook;
  if (runbookUrl) fields.push({ label: 'Runbook', value: clip(runbookUrl) });
  if (sample?.generatorURL) fields.push({ label: 'Source', value: clip(sample.generatorURL) });
  const pd = pagerDutyText(incident);
  if (pd) fields.push({ label: 'PagerDuty', value: pd });

  const message: Message = {
    title,
    severity: closed ? 'success' : severityOf(incident),
    fields: fields.slice(0, 10),
    footer: [
      incident.known ? undefined : 'Not in the service catalog: generic actions only.',
      incident.service ? undefined : 'No service could be told from the labels (service, app, deployment).',
      incident.number === undefined ? undefined : `Incident ${incident.number}: "ack ${incident.number}" or "resolve ${incident.number}" outside this thread.`,
      `Alertmanager group ${incident.id}.`,
    ]
      .filter(Boolean)
      .join(' '),
  };
  const actions: MessageAction[] = [];
  if (!closed) {
    for (const [slot, button] of incident.buttons.entries()) {
      if (button.kind === 'action' && !incident.service) continue;
      if (button.kind === 'ack' && incident.acknowledged) continue;
      actions.push({
        id: alertButtonId(button.kind, slot),
        label: button.label,
        style: button.style,
        value: button.value,
        ...(button.kind === 'resolve'
          ? { confirm: { title: 'Resolve this incident?', text: 'It is marked resolved here and in PagerDuty.', confirm: 'Resolve', deny: 'Back' } }
          : {}),
      });
    }
  }
  if (actions.length > 0) message.actions = actions.slice(0, 25);
  return message;
}

function statusText(incident: Incident): string {
  if (incident.resolvedBy) return `Resolved by ${incident.resolvedBy.by}${via(incident.resolvedBy.via)}`;
  if (incident.status === 'resolved') return 'Resolved';
  const assigned = incident.assignedTo?.length ? ` · assigned to ${incident.assignedTo.join(', ')}` : '';
  if (incident.acknowledged) return `Acknowledged by ${incident.acknowledged.by}${via(incident.acknowledged.via)}${assigned}`;
  return `Firing${assigned}`;
}

function via(where: string): string {
  return where === 'pagerduty' ? ' in PagerDuty' : '';
}

function pagerDutyText(incident: Incident): string | undefined {
  const pd = incident.pagerduty;
  if (pd.state === 'none' && !pd.incidentId) return undefined;
  const link = pd.htmlUrl ?? pd.incidentId;
  return `${pd.state === 'resolved' ? 'resolved' : 'paged'}${link ? ` (${link})` : ''}`;
}

function severityOf(incident: Incident): MessageSeverity {
  if (incident.severity === 'P0' || incident.severity === 'P1') return 'critical';
  if (incident.severity === 'P2') return 'warning';
  return 'info';
}

function clip(text: string): string {
  return text.length > FIELD_MAX ? `${text.slice(0, FIELD_MAX - 1)}…` : text;
}
