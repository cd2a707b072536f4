import type { Incident, StoredAlert } from './incident.js';
import { isWorse } from './incident.js';

/**
 * What an incident's thread is told when a notification changes it: new alerts in
 * the group, an escalation, all resolved, firing again. The wording lives here, not
 * in the store, which only records the notes it is given.
 */
export function notificationNotes(before: Incident, after: Incident, newlyFiring: StoredAlert[], total: number): string[] {
  const notes: string[] = [];
  if (newlyFiring.length > 0) {
    const listed = newlyFiring.slice(0, 5).map(describeAlert).join('; ');
    notes.push(`${newlyFiring.length === 1 ? 'New alert' : `${newlyFiring.length} new alerts`} in the group: ${listed}${newlyFiring.length > 5 ? '; …' : ''}`);
  }
  if (isWorse(after.severity, before.severity) && after.status === 'firing') notes.push(`Escalated from ${before.severity} to ${after.severity}.`);
  if (before.status === 'firing' && after.status === 'resolved') notes.push(`All ${total} alert${total === 1 ? '' : 's'} resolved.`);
  if (before.status === 'resolved' && after.status === 'firing') notes.push('Firing again.');
  return notes;
}

function describeAlert(alert: StoredAlert): string {
  const where = alert.labels.instance ?? alert.labels.pod ?? alert.labels.job;
  const summary = alert.annotations.summary;
  return [alert.alertname, where ? `on ${where}` : undefined, summary ? `— ${summary}` : undefined].filter(Boolean).join(' ');
}
