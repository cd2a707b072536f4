import type { Logger } from 'pino';
import { z } from 'zod';
import type { PagerDutyEchoes } from '../incidents/echoes.js';
import type { IncidentLookups } from '../incidents/incident-lookups.js';
import type { IncidentStore } from '../incidents/incident-store.js';

const Reference = z.looseObject({ id: z.string().optional(), summary: z.string().optional(), html_url: z.string().nullish() });

const IncidentData = z.looseObject({
  id: z.string(),
  type: z.literal('incident'),
  html_url: z.string().nullish(),
  incident_key: z.string().nullish(),
  status: z.string().optional(),
  assignees: z.array(Reference).optional(),
});

const NoteData = z.looseObject({
  id: z.string().optional(),
  type: z.literal('incident_note'),
  content: z.string(),
  incident: z.looseObject({ id: z.string(), html_url: z.string().nullish() }),
});

/** A PagerDuty Webhooks v3 body. */
export const PagerDutyWebhook = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1).max(200),
    event_type: z.string().min(1),
    resource_type: z.string().optional(),
    occurred_at: z.string().optional(),
    agent: Reference.nullish(),
    client: z.looseObject({ name: z.string().optional() }).nullish(),
    data: z.unknown(),
  }),
});
export type PagerDutyWebhook = z.infer<typeof PagerDutyWebhook>;

export interface PagerDutySyncDeps {
  store: IncidentStore;
  lookups: IncidentLookups;
  echoes: PagerDutyEchoes;
  changed(id: string): Promise<void>;
  log: Logger;
}

/**
 * Reflects what people do in PagerDuty on the incident's card and in its thread:
 * acknowledged, resolved, reassigned, annotated. The echo of a change the bot made
 * itself updates the record silently instead of being announced a second time.
 */
export class PagerDutySync {
  constructor(private readonly deps: PagerDutySyncDeps) {}

  async apply(webhook: PagerDutyWebhook): Promise<'applied' | 'echo' | 'ignored'> {
    const { event } = webhook;
    const who = event.agent?.summary ?? 'someone';
    const log = this.deps.log.child({ pagerdutyEvent: event.id, eventType: event.event_type });
    if (event.event_type === 'incident.annotated') {
      const note = NoteData.safeParse(event.data);
      if (!note.success) return this.ignore(log, 'note without content');
      const id = await this.deps.lookups.byPagerDuty(note.data.incident.id);
      if (!id) return this.ignore(log, 'note on an incident the bot did not open');
      if (await this.deps.echoes.isOurs(note.data.incident.id, { note: note.data.content })) return 'echo';
      await this.deps.store.change(id, (i) => i, [`Note from ${who} in PagerDuty: ${note.data.content.slice(0, 2000)}`]);
      await this.deps.changed(id);
      return 'applied';
    }
    const data = IncidentData.safeParse(event.data);
    if (!data.success) return this.ignore(log, 'not an incident event');
    const pd = data.data;
    const id = await this.deps.lookups.byPagerDuty(pd.id, pd.incident_key ?? undefined);
    if (!id) return this.ignore(log, 'incident the bot did not open');
    const link = (i: { pagerduty: { incidentId?: string; htmlUrl?: string } }) => {
      i.pagerduty.incidentId = pd.id;
      if (pd.html_url) i.pagerduty.htmlUrl = pd.html_url;
    };
    const at = event.occurred_at ?? new Date().toISOString();
    switch (event.event_type) {
      case 'incident.acknowledged': {
        const ours = await this.deps.echoes.isOurs(pd.id, { status: 'acknowledged' });
        await this.deps.store.change(
          id,
          (i) => {
            link(i);
            if (!ours) i.acknowledged = { by: who, via: 'pagerduty', at };
            return i;
          },
          ours ? [] : [`Acknowledged by ${who} in PagerDuty.`],
        );
        await this.deps.changed(id);
        return ours ? 'echo' : 'applied';
      }
      case 'incident.resolved': {
        const ours = await this.deps.echoes.isOurs(pd.id, { status: 'resolved' });
        await this.deps.store.change(
          id,
          (i) => {
            link(i);
            i.pagerduty.state = 'resolved';
            if (!ours && !i.resolvedBy) i.resolvedBy = { by: who, via: 'pagerduty', at };
            return i;
          },
          ours ? [] : [`Resolved by ${who} in PagerDuty.`],
        );
        await this.deps.changed(id);
        return ours ? 'echo' : 'applied';
      }
      case 'incident.reassigned': {
        const names = (pd.assignees ?? []).map((a) => a.summary).filter((s): s is string => Boolean(s));
        await this.deps.store.change(
          id,
          (i) => {
            link(i);
            i.assignedTo = names;
            return i;
          },
          [`Reassigned to ${names.join(', ') || 'nobody'} by ${who} in PagerDuty.`],
        );
        await this.deps.changed(id);
        return 'applied';
      }
      case 'incident.triggered': {
        // Learn the incident id behind our dedup key, so later REST calls need no lookup.
        await this.deps.store.change(id, (i) => {
          if (i.pagerduty.incidentId === pd.id) return undefined;
          link(i);
          return i;
        });
        return 'applied';
      }
      default:
        return this.ignore(log, 'event type not reflected in chat');
    }
  }

  private ignore(log: Logger, why: string): 'ignored' {
    log.debug({ why }, 'PagerDuty webhook event ignored');
    return 'ignored';
  }
}
