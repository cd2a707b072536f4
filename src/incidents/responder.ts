import type { Logger } from 'pino';
import { type PagerDutyClient, PagerDutyError } from '../clients/pagerduty.js';
import type { ActorPlatform } from '../core/request.js';
import type { PagerDutyEchoes } from './echoes.js';
import type { Incident } from './incident.js';
import type { IncidentStore } from './incident-store.js';

export interface ResponderDeps {
  store: IncidentStore;
  echoes: PagerDutyEchoes;
  /** Asks for the incident's cards to be brought up to date. */
  changed(id: string): Promise<void>;
  log: Logger;
  pagerduty?: PagerDutyClient;
}

export type ResponseOutcome = { ok: true; incident: Incident } | { ok: false; error: string };

interface Who {
  name: string;
  via: ActorPlatform;
}

/**
 * Acknowledge and Resolve, from a chat button or from verification: PagerDuty
 * first (through the REST API, as PAGERDUTY_FROM_EMAIL, with a note naming the
 * person), then the incident and its cards. If PagerDuty refuses, nothing is
 * marked here, and the person is told to act in PagerDuty.
 */
export class IncidentResponder {
  constructor(private readonly deps: ResponderDeps) {}

  acknowledge(id: string, who: Who, note?: string): Promise<ResponseOutcome> {
    return this.respond(id, who, 'acknowledged', note);
  }

  resolve(id: string, who: Who, note?: string): Promise<ResponseOutcome> {
    return this.respond(id, who, 'resolved', note);
  }

  private async respond(id: string, who: Who, status: 'acknowledged' | 'resolved', extraNote?: string): Promise<ResponseOutcome> {
    const { store } = this.deps;
    const incident = await store.get(id);
    if (!incident) return { ok: false, error: 'This incident is no longer known to the bot; nothing was done.' };
    if (incident.resolvedBy) return { ok: false, error: `This incident was already resolved by ${incident.resolvedBy.by}; nothing more was done.` };
    if (status === 'acknowledged' && incident.acknowledged) {
      return { ok: false, error: `This incident was already acknowledged by ${incident.acknowledged.by}; nothing more was done.` };
    }
    const pdIncident = await this.pagerDutyIncident(incident);
    if (pdIncident && 'error' in pdIncident) return { ok: false, error: pdIncident.error };
    const verb = status === 'acknowledged' ? 'Acknowledged' : 'Resolved';
    if (pdIncident) {
      // The bot on its own (verification) is no one "from" a platform.
      const from = who.via === 'system' ? `by ${who.name} on its own` : `from ${who.via} by ${who.name} (maestro-bot)`;
      const noteText = `${verb} ${from}${extraNote ? `: ${extraNote}` : ''}`;
      try {
        await this.deps.echoes.expect(pdIncident.id, { status });
        await this.deps.pagerduty!.setStatus(pdIncident.id, status);
      } catch (error) {
        await this.deps.echoes.forget(pdIncident.id, { status });
        this.deps.log.error({ err: error, incident: id, pagerdutyIncident: pdIncident.id }, `PagerDuty refused to mark the incident ${status}`);
        const code = error instanceof PagerDutyError ? ` (HTTP ${error.status})` : '';
        return { ok: false, error: `PagerDuty did not accept that${code}; nothing was changed. ${verb === 'Acknowledged' ? 'Acknowledge' : 'Resolve'} it in PagerDuty.` };
      }
      try {
        await this.deps.echoes.expect(pdIncident.id, { note: noteText });
        await this.deps.pagerduty!.addNote(pdIncident.id, noteText);
      } catch (error) {
        // The status change is what matters; a missing note is logged, not undone.
        this.deps.log.warn({ err: error, incident: id }, 'could not annotate the PagerDuty incident');
      }
    }
    const at = new Date().toISOString();
    const updated = await store.change(
      id,
      (current) => {
        if (pdIncident) {
          current.pagerduty.incidentId = pdIncident.id;
          if (pdIncident.htmlUrl) current.pagerduty.htmlUrl = pdIncident.htmlUrl;
          if (status === 'resolved') current.pagerduty.state = 'resolved';
        }
        if (status === 'acknowledged') current.acknowledged = { by: who.name, via: who.via, at };
        else current.resolvedBy = { by: who.name, via: who.via, at };
        return current;
      },
      [`${verb} by ${who.name}${pdIncident ? ' (PagerDuty updated)' : ''}.${extraNote ? ` ${extraNote}` : ''}`],
    );
    await this.deps.changed(id);
    return updated ? { ok: true, incident: updated } : { ok: false, error: 'This incident is no longer known to the bot; nothing was done.' };
  }

  /** The PagerDuty incident behind ours, if there is one and the bot may write to it. */
  private async pagerDutyIncident(incident: Incident): Promise<{ id: string; htmlUrl?: string } | { error: string } | undefined> {
    const { pagerduty } = this.deps;
    const pd = incident.pagerduty;
    if (pd.state === 'none' && !pd.incidentId) return undefined;
    if (!pagerduty?.canWrite) {
      return { error: 'This incident paged PagerDuty, but the bot has no PagerDuty API access (PAGERDUTY_API_TOKEN, PAGERDUTY_FROM_EMAIL); act in PagerDuty.' };
    }
    if (pd.incidentId) return { id: pd.incidentId, ...(pd.htmlUrl ? { htmlUrl: pd.htmlUrl } : {}) };
    try {
      const found = await pagerduty.findIncident(pd.dedupKey);
      return found ?? undefined;
    } catch (error) {
      this.deps.log.error({ err: error, incident: incident.id }, 'could not look the PagerDuty incident up');
      return { error: 'PagerDuty could not be reached to find the incident; nothing was changed. Act in PagerDuty.' };
    }
  }
}
