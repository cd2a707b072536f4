import type { IncidentArgs } from '../verbs/incident-response/incident-response.js';
import type { ChatPort } from '../core/chat-port.js';
import { UserError } from '../core/errors.js';
import type { CommandRequest } from '../core/request.js';
import type { Incident } from '../incidents/incident.js';
import type { IncidentLookups } from '../incidents/incident-lookups.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { IncidentResponder } from '../incidents/responder.js';
import type { DelegatedOutcome, DelegatedTarget, DelegatedVerb } from './delegated-verb.js';

export interface IncidentVerbDeps {
  store: IncidentStore;
  lookups: IncidentLookups;
  responder: IncidentResponder;
}

interface IncidentTarget extends DelegatedTarget {
  incident: Incident;
  /** Typed in the card's own thread (or pressed on the card): the card and its thread say what happened. */
  inThread: boolean;
  note?: string;
}

/**
 * `ack [incident]` and `resolve [incident]`, typed or pressed on the card: the
 * incident is the one whose card heads the thread, or the number given. The
 * command handler has authorised and will audit them; this finds the incident
 * and has the responder change PagerDuty, the incident and its cards.
 */
export function incidentVerb(kind: 'ack' | 'resolve', deps: IncidentVerbDeps): DelegatedVerb {
  return {
    async target(request, args) {
      const { incident: number, note } = args as IncidentArgs;
      const inThreadId = request.threadId ? await deps.lookups.byThread(request.conversation.platform, request.conversation.id, request.threadId) : undefined;
      const id = number === undefined ? inThreadId : await deps.lookups.byNumber(number);
      if (!id) throw new UserError(missing(kind, number), number === undefined ? 'incident_not_named' : 'incident_unknown');
      const incident = await deps.store.get(id);
      if (!incident) throw new UserError(missing(kind, number), 'incident_unknown');
      const detail = { incident: incident.id, ...(incident.number !== undefined ? { incidentNumber: incident.number } : {}), alertname: incident.alertname };
      return { ...(incident.service ? { service: incident.service } : {}), env: incident.env, detail, incident, inThread: inThreadId === id, ...(note ? { note } : {}) } satisfies IncidentTarget;
    },

    async run(request: CommandRequest, target: DelegatedTarget, chat: ChatPort): Promise<DelegatedOutcome> {
      const { incident, inThread, note } = target as IncidentTarget;
      const who = { name: request.actor.name, via: request.actor.platform };
      const outcome = kind === 'ack' ? await deps.responder.acknowledge(incident.id, who, note) : await deps.responder.resolve(incident.id, who, note);
      if (!outcome.ok) return outcome;
      const done = kind === 'ack' ? 'acknowledged' : 'resolved';
      // In the thread the card's edit and thread note say it; typed elsewhere, tell the one who typed it.
      if (!inThread) {
        await chat.ephemeral(
          request.conversation.id,
          request.actor.id,
          { title: `Incident ${incident.number ?? incident.id} ${done}`, severity: 'success', text: `${title(incident)}: ${done}; its card is updated.` },
          { threadId: request.threadId },
        );
      }
      return { ok: true, result: `${done} incident ${incident.number ?? incident.id}` };
    },
  };
}

function title(incident: Incident): string {
  return `${incident.alertname}${incident.service ? ` — ${incident.service}` : ''}`;
}

function missing(kind: string, number: number | undefined): string {
  if (number !== undefined) return `no incident ${number} is known (the number is in the footer of the incident's card; incidents are kept 30 days)`;
  return `${kind} needs an incident: use it in the incident card's thread, or give the number in the card's footer (${kind} 42)`;
}

/** Hands `ack` and `resolve` to the incidents module's state, after the command handler's parse, policy and audit. */
export function delegateIncidentVerbs(commands: { delegate(verb: string, handler: DelegatedVerb): void }, deps: IncidentVerbDeps): void {
  commands.delegate('ack', incidentVerb('ack', deps));
  commands.delegate('resolve', incidentVerb('resolve', deps));
}
