import type { Catalog, Severity } from '../config/catalog-schema.js';
import type { Field, Message, Severity as Tone } from '../core/message.js';
import { actionsFor, type Incident, type PendingChanges } from './incidents.js';

const TONE: Record<Severity, Tone> = { P0: 'critical', P1: 'critical', P2: 'warning', P3: 'info', P4: 'info' };

function title(incident: Incident): string {
  return `${incident.alertname} — ${incident.service ?? 'unknown service'}`;
}

function firstAnnotation(incident: Incident, name: string): string | undefined {
  if (incident.commonAnnotations[name]) return incident.commonAnnotations[name];
  return Object.values(incident.alerts).find((a) => a.annotations[name])?.annotations[name];
}

function counts(incident: Incident): { firing: number; resolved: number } {
  const all = Object.values(incident.alerts);
  const firing = all.filter((a) => a.status === 'firing').length;
  return { firing, resolved: all.length - firing };
}

/** The incident card: always rendered from the whole stored state, so any edit shows the latest truth. */
export function incidentCard(catalog: Catalog, incident: Incident): Message {
  const known = catalog.alerts[incident.alertname];
  const { firing, resolved } = counts(incident);
  const status = [firing > 0 ? `firing ${firing}` : '', resolved > 0 ? `resolved ${resolved}` : ''].filter(Boolean).join(', ');
  const truncated = incident.truncatedAlerts > 0 ? ` (+${incident.truncatedAlerts} not sent by Alertmanager)` : '';
  const started = Object.values(incident.alerts)
    .map((a) => a.startsAt)
    .sort()[0];
  const summary = firstAnnotation(incident, 'summary') ?? known?.summary;
  const description = firstAnnotation(incident, 'description');
  const runbook =
    firstAnnotation(incident, 'runbook_url') ?? known?.runbook ?? (incident.service ? catalog.services[incident.service]?.runbook : undefined);
  const generator = Object.values(incident.alerts).find((a) => a.generatorURL)?.generatorURL;
  const fields: Field[] = [
    { label: 'Status', value: status + truncated },
    { label: 'Severity', value: incident.severity },
    { label: 'Service', value: incident.service ? `${incident.service} (${incident.env})` : 'not in the catalog' },
  ];
  if (started) fields.push({ label: 'Started', value: started });
  if (summary) fields.push({ label: 'Summary', value: summary });
  if (description) fields.push({ label: 'Description', value: description });
  if (runbook) fields.push({ label: 'Runbook', value: runbook });
  if (generator) fields.push({ label: 'Generator', value: generator });
  const actions = actionsFor(catalog, incident).map((action, index) => ({
    id: 'alert.action',
    value: incident.actionIds[index]!,
    label: action.label,
    style: action.style,
  }));
  return {
    title: title(incident),
    severity: incident.status === 'resolved' ? 'success' : TONE[incident.severity],
    fields,
    ...(actions.length > 0 ? { actions } : {}),
    footer: `Alertmanager group ${incident.groupKey}`,
  };
}

const RANK: Record<Severity, number> = { P0: 0, P1: 1, P2: 2, P3: 3, P4: 4 };

/** The thread reply for what changed since the last render, or undefined when nothing deserves one. */
export function changeReply(incident: Incident, pending: PendingChanges): Message | undefined {
  const lines: string[] = [];
  let heading: string | undefined;
  let tone: Tone = TONE[incident.severity];
  const fresh = pending.newFiring.map((fp) => incident.alerts[fp]).filter((a) => a?.status === 'firing');
  if (fresh.length > 0) {
    heading = fresh.length === 1 ? 'A new alert is firing' : `${fresh.length} new alerts are firing`;
    for (const alert of fresh) {
      const labels = Object.entries(alert!.labels)
        .filter(([k]) => k !== 'alertname')
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      lines.push(`${alert!.labels.alertname ?? incident.alertname}${labels ? ` {${labels}}` : ''}`);
    }
  }
  if (pending.escalatedFrom && incident.status === 'firing' && RANK[incident.severity] < RANK[pending.escalatedFrom]) {
    heading ??= `Escalated to ${incident.severity}`;
    lines.push(`Severity escalated from ${pending.escalatedFrom} to ${incident.severity}.`);
  }
  if (pending.resolved && incident.status === 'resolved') {
    heading = `Resolved: ${title(incident)}`;
    tone = 'success';
    lines.push(`All ${Object.keys(incident.alerts).length} alert(s) in the group are resolved.`);
  }
  if (!heading) return undefined;
  return { title: heading, severity: tone, text: lines.join('\n') };
}
