import type { Redis } from 'ioredis';
import type { Catalog } from '../config/catalog-schema.js';
import type { AlertmanagerPayload } from './alertmanager-payload.js';
import { classify } from './classify.js';
import { dedupKeyFor, type Incident, type IncidentNote, incidentIdFor, type StoredAlert, worse } from './incident.js';
import { incidentButtons } from '../pipeline/buttons.js';
import { IncidentKeys, KEEP_SECONDS } from './incident-keys.js';
import { withLock } from './incident-lock.js';
import type { IncidentLookups } from './incident-lookups.js';
import { notificationNotes } from './thread-notes.js';

export { KEEP_SECONDS } from './incident-keys.js';

const MAX_NOTES = 200;

export interface IngestResult {
  incident: Incident;
  created: boolean;
  notes: string[];
}

/**
 * Incidents in Redis, one per Alertmanager groupKey: the incident itself, its
 * alerts by fingerprint and the thread notes it owes. Its cards are
 * IncidentCards', the ways to find it IncidentLookups', the schedule of card
 * flushes FlushSchedule's. Redis is the only state, so any web or worker replica
 * can take any notification or button press.
 */
export class IncidentStore {
  private readonly keys: IncidentKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly catalog: Catalog,
    private readonly lookups: IncidentLookups,
  ) {
    this.keys = new IncidentKeys(prefix);
  }

  private key(id: string, part = ''): string {
    return this.keys.incident(id, part);
  }

  async get(id: string): Promise<Incident | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Incident) : undefined;
  }

  async alerts(id: string): Promise<StoredAlert[]> {
    const all = await this.redis.hvals(this.key(id, 'alerts'));
    return all.map((a) => JSON.parse(a) as StoredAlert);
  }

  /** Merges one notification into its incident, under the incident's lock. */
  async ingest(payload: AlertmanagerPayload, now = new Date()): Promise<IngestResult> {
    const id = incidentIdFor(payload.groupKey);
    return this.locked(id, async () => {
      const existing = await this.get(id);
      const previous = await this.redis.hgetall(this.key(id, 'alerts'));
      const writes: Record<string, string> = {};
      const newlyFiring: StoredAlert[] = [];
      for (const alert of payload.alerts) {
        const stored: StoredAlert = {
          fingerprint: alert.fingerprint,
          alertname: alert.labels.alertname!,
          status: alert.status,
          labels: alert.labels,
          annotations: alert.annotations,
          startsAt: alert.startsAt,
          endsAt: alert.endsAt,
          generatorURL: alert.generatorURL,
        };
        if (!previous[alert.fingerprint] && alert.status === 'firing') newlyFiring.push(stored);
        writes[alert.fingerprint] = JSON.stringify(stored);
        previous[alert.fingerprint] = writes[alert.fingerprint]!;
      }
      const all = Object.values(previous).map((a) => JSON.parse(a) as StoredAlert);
      const firing = all.filter((a) => a.status === 'firing');
      const base = existing ?? this.newIncident(id, payload, now, await this.redis.incr(this.keys.sequence()));
      const incident: Incident = {
        ...base,
        severity: (firing.length > 0 ? firing : all).map((a) => classify(this.catalog, a.labels).severity).reduce(worse),
        status: firing.length > 0 ? 'firing' : 'resolved',
        firing: firing.length,
        resolved: all.length - firing.length,
        startsAt: all.map((a) => a.startsAt).sort()[0] ?? base.startsAt,
        commonLabels: payload.commonLabels,
        commonAnnotations: payload.commonAnnotations,
        externalURL: payload.externalURL,
        updatedAt: now.toISOString(),
        rev: base.rev + 1,
      };
      const notes = existing ? notificationNotes(existing, incident, newlyFiring, all.length) : [];
      // A group that fires again after it was resolved by hand is a new episode.
      if (existing?.status === 'resolved' && incident.status === 'firing') {
        delete incident.resolvedBy;
        delete incident.acknowledged;
      }
      const multi = this.redis.multi();
      multi.set(this.key(id), JSON.stringify(incident), 'EX', KEEP_SECONDS);
      multi.hset(this.key(id, 'alerts'), writes);
      multi.expire(this.key(id, 'alerts'), KEEP_SECONDS);
      if (!existing) this.lookups.indexNew(multi, incident);
      this.lookups.indexLatest(multi, incident);
      await multi.exec();
      await this.addNotes(id, notes);
      return { incident, created: !existing, notes };
    });
  }

  private newIncident(id: string, payload: AlertmanagerPayload, now: Date, number: number): Incident {
    const labels = payload.alerts[0]!.labels;
    const c = classify(this.catalog, labels);
    const routingKeyEnv = c.service ? this.catalog.services[c.service]?.envs[c.env]?.pagerdutyRoutingKeyEnv : undefined;
    return {
      id,
      number,
      groupKey: payload.groupKey,
      alertname: labels.alertname!,
      ...(c.service ? { service: c.service } : {}),
      env: c.env,
      severity: c.severity,
      known: c.known,
      status: 'firing',
      firing: 0,
      resolved: 0,
      startsAt: payload.alerts[0]!.startsAt,
      commonLabels: payload.commonLabels,
      commonAnnotations: payload.commonAnnotations,
      externalURL: payload.externalURL,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      buttons: incidentButtons(c.actions),
      pagerduty: { dedupKey: dedupKeyFor(payload.groupKey), ...(routingKeyEnv ? { routingKeyEnv } : {}), state: 'none' },
      rev: 0,
    };
  }

  /** Changes an incident outside a notification (acknowledged, paged...), under its lock. */
  async change(id: string, edit: (incident: Incident) => Incident | undefined, notes: string[] = []): Promise<Incident | undefined> {
    return this.locked(id, async () => {
      const incident = await this.get(id);
      if (!incident) return undefined;
      const next = edit(structuredClone(incident));
      if (!next) return incident;
      next.rev = incident.rev + 1;
      await this.redis.set(this.key(id), JSON.stringify(next), 'EX', KEEP_SECONDS);
      if (next.pagerduty.incidentId) await this.lookups.indexPagerDuty(id, next.pagerduty.incidentId);
      await this.addNotes(id, notes);
      return next;
    });
  }

  private async addNotes(id: string, texts: string[]): Promise<void> {
    if (texts.length === 0) return;
    const key = this.key(id, 'notes');
    for (const text of texts) {
      const seq = await this.redis.incr(this.key(id, 'note-seq'));
      await this.redis.rpush(key, JSON.stringify({ seq, text } satisfies IncidentNote));
    }
    await this.redis.multi().ltrim(key, -MAX_NOTES, -1).expire(key, KEEP_SECONDS).expire(this.key(id, 'note-seq'), KEEP_SECONDS).exec();
  }

  async notes(id: string): Promise<IncidentNote[]> {
    return (await this.redis.lrange(this.key(id, 'notes'), 0, -1)).map((n) => JSON.parse(n) as IncidentNote);
  }

  async lastNoteSeq(id: string): Promise<number> {
    return Number((await this.redis.get(this.key(id, 'note-seq'))) ?? 0);
  }

  private locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    return withLock(this.redis, this.key(id, 'lock'), `incident ${id}`, work);
  }
}
