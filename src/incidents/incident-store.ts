import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Catalog } from '../config/catalog-schema.js';
import type { MessageRef } from '../core/chat-port.js';
import type { Platform } from '../core/request.js';
import type { AlertmanagerPayload } from './alertmanager-payload.js';
import { classify } from './classify.js';
import {
  type ButtonKind,
  type CardState,
  dedupKeyFor,
  type Incident,
  type IncidentButton,
  type IncidentNote,
  incidentIdFor,
  isWorse,
  type StoredAlert,
  worse,
} from './incident.js';

/** How long an incident and everything about it is kept after its last change. */
export const KEEP_SECONDS = 30 * 24 * 3600;
const MAX_NOTES = 200;

export interface IngestResult {
  incident: Incident;
  created: boolean;
  notes: string[];
}

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Incidents in Redis, one per Alertmanager groupKey: the incident itself, its
 * alerts by fingerprint, the thread notes it owes, its cards per platform and
 * channel, its buttons and its lookups (by number, card thread, PagerDuty). The
 * schedule of card flushes is FlushSchedule's. Redis is the only state,
 * so any web or worker replica can take any notification or button press.
 */
export class IncidentStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly catalog: Catalog,
  ) {}

  private key(id: string, part = ''): string {
    return `${this.prefix}:incident:${id}${part ? `:${part}` : ''}`;
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
    return this.withLock(id, async () => {
      const existing = await this.get(id);
      const previous = await this.redis.hgetall(this.key(id, 'alerts'));
      const notes: string[] = [];
      const writes: Record<string, string> = {};
      const newlyFiring: string[] = [];
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
        const before = previous[alert.fingerprint] ? (JSON.parse(previous[alert.fingerprint]!) as StoredAlert) : undefined;
        if (!before && alert.status === 'firing') newlyFiring.push(describeAlert(stored));
        writes[alert.fingerprint] = JSON.stringify(stored);
        previous[alert.fingerprint] = writes[alert.fingerprint]!;
      }
      const all = Object.values(previous).map((a) => JSON.parse(a) as StoredAlert);
      const firing = all.filter((a) => a.status === 'firing');
      const first = payload.alerts[0]!;
      const base = existing ?? this.newIncident(id, payload, first.labels, now, await this.redis.incr(`${this.prefix}:incident-seq`));
      const severity = (firing.length > 0 ? firing : all).map((a) => classify(this.catalog, a.labels).severity).reduce(worse);
      const status = firing.length > 0 ? 'firing' : 'resolved';
      const startsAt = all.map((a) => a.startsAt).sort()[0] ?? base.startsAt;

      if (existing) {
        if (newlyFiring.length > 0) {
          notes.push(`${newlyFiring.length === 1 ? 'New alert' : `${newlyFiring.length} new alerts`} in the group: ${newlyFiring.slice(0, 5).join('; ')}${newlyFiring.length > 5 ? '; …' : ''}`);
        }
        if (isWorse(severity, existing.severity) && status === 'firing') notes.push(`Escalated from ${existing.severity} to ${severity}.`);
        if (existing.status === 'firing' && status === 'resolved') notes.push(`All ${all.length} alert${all.length === 1 ? '' : 's'} resolved.`);
        if (existing.status === 'resolved' && status === 'firing') notes.push('Firing again.');
      }
      const incident: Incident = {
        ...base,
        severity,
        status,
        firing: firing.length,
        resolved: all.length - firing.length,
        startsAt,
        commonLabels: payload.commonLabels,
        commonAnnotations: payload.commonAnnotations,
        externalURL: payload.externalURL,
        updatedAt: now.toISOString(),
        rev: base.rev + 1,
      };
      // A group that fires again after it was resolved by hand is a new episode.
      if (existing?.status === 'resolved' && status === 'firing') {
        delete incident.resolvedBy;
        delete incident.acknowledged;
      }
      const multi = this.redis.multi();
      multi.set(this.key(id), JSON.stringify(incident), 'EX', KEEP_SECONDS);
      multi.hset(this.key(id, 'alerts'), writes);
      multi.expire(this.key(id, 'alerts'), KEEP_SECONDS);
      if (!existing) {
        multi.set(`${this.prefix}:incident-by-dedup:${incident.pagerduty.dedupKey}`, id, 'EX', KEEP_SECONDS);
        multi.set(this.numberKey(incident.number!), id, 'EX', KEEP_SECONDS);
        for (const button of incident.buttons) {
          multi.set(this.buttonKey(button.value), JSON.stringify({ incidentId: id, kind: button.kind, value: button.value }), 'EX', KEEP_SECONDS);
        }
      }
      if (incident.service) {
        const openKey = `${this.prefix}:incident-open:${incident.service}:${incident.env}`;
        multi.set(openKey, id, 'EX', KEEP_SECONDS);
      }
      await multi.exec();
      await this.addNotes(id, notes);
      return { incident, created: !existing, notes };
    });
  }

  private newIncident(id: string, payload: AlertmanagerPayload, labels: Record<string, string>, now: Date, number: number): Incident {
    const c = classify(this.catalog, labels);
    const routingKeyEnv = c.service ? this.catalog.services[c.service]?.envs[c.env]?.pagerdutyRoutingKeyEnv : undefined;
    const button = (kind: ButtonKind, label: string, style: IncidentButton['style'], command?: string): IncidentButton => ({
      value: `b${randomBytes(12).toString('base64url')}`,
      kind,
      label,
      style,
      ...(command ? { command } : {}),
    });
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
      buttons: [
        ...c.actions.map((a) => button('action', a.label, a.style, a.command)),
        button('ack', 'Acknowledge', 'default'),
        button('resolve', 'Resolve', 'default'),
      ],
      pagerduty: { dedupKey: dedupKeyFor(payload.groupKey), ...(routingKeyEnv ? { routingKeyEnv } : {}), state: 'none' },
      rev: 0,
    };
  }

  /** Changes an incident outside a notification (acknowledged, paged...), under its lock. */
  async change(id: string, edit: (incident: Incident) => Incident | undefined, notes: string[] = []): Promise<Incident | undefined> {
    return this.withLock(id, async () => {
      const incident = await this.get(id);
      if (!incident) return undefined;
      const next = edit(structuredClone(incident));
      if (!next) return incident;
      next.rev = incident.rev + 1;
      await this.redis.set(this.key(id), JSON.stringify(next), 'EX', KEEP_SECONDS);
      if (next.pagerduty.incidentId) await this.redis.set(`${this.prefix}:incident-by-pd:${next.pagerduty.incidentId}`, id, 'EX', KEEP_SECONDS);
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

  // ---- cards ---------------------------------------------------------------

  async cards(id: string): Promise<CardState[]> {
    return Object.values(await this.redis.hgetall(this.key(id, 'cards'))).map((c) => JSON.parse(c) as CardState);
  }

  async saveCard(id: string, card: CardState): Promise<void> {
    const multi = this.redis.multi().hset(this.key(id, 'cards'), cardField(card.platform, card.channel), JSON.stringify(card)).expire(this.key(id, 'cards'), KEEP_SECONDS);
    // A command typed in the card's thread names no incident: the thread does.
    if (card.ref) multi.set(this.threadKey(card.platform, card.ref.conversation, card.ref.threadId ?? card.ref.id), id, 'EX', KEEP_SECONDS);
    await multi.exec();
  }

  /** The incident's card in a conversation, found by the ref the platform gave it. */
  async cardIn(id: string, platform: Platform, conversation: string): Promise<MessageRef | undefined> {
    const cards = await this.cards(id);
    return cards.find((c) => c.platform === platform && (c.ref?.conversation === conversation || c.channel === conversation))?.ref;
  }

  // ---- lookups --------------------------------------------------------------

  private buttonKey(value: string): string {
    return `${this.prefix}:alert-button:${value}`;
  }

  async button(value: string): Promise<{ incident: Incident; button: IncidentButton } | undefined> {
    if (!/^b[A-Za-z0-9_-]{16}$/.test(value)) return undefined;
    const raw = await this.redis.get(this.buttonKey(value));
    if (!raw) return undefined;
    const { incidentId } = JSON.parse(raw) as { incidentId: string };
    const incident = await this.get(incidentId);
    const button = incident?.buttons.find((b) => b.value === value);
    return incident && button ? { incident, button } : undefined;
  }

  private numberKey(number: number): string {
    return `${this.prefix}:incident-number:${number}`;
  }

  private threadKey(platform: Platform, conversation: string, threadId: string): string {
    return `${this.prefix}:incident-thread:${platform}:${conversation}:${threadId}`;
  }

  /** The incident whose card footer shows `number`. */
  async byNumber(number: number): Promise<string | undefined> {
    return (await this.redis.get(this.numberKey(number))) ?? undefined;
  }

  /** The incident whose card heads the thread `threadId` of a conversation. */
  async byThread(platform: Platform, conversation: string, threadId: string): Promise<string | undefined> {
    return (await this.redis.get(this.threadKey(platform, conversation, threadId))) ?? undefined;
  }

  async byPagerDuty(pdIncidentId: string, dedupKey?: string): Promise<string | undefined> {
    const byId = await this.redis.get(`${this.prefix}:incident-by-pd:${pdIncidentId}`);
    if (byId) return byId;
    return dedupKey ? ((await this.redis.get(`${this.prefix}:incident-by-dedup:${dedupKey}`)) ?? undefined) : undefined;
  }

  /** The latest incident of a service in an env, open or not. */
  async latestFor(service: string, env: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:incident-open:${service}:${env}`)) ?? undefined;
  }

  private async withLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const key = this.key(id, 'lock');
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + 30_000;
    while ((await this.redis.set(key, token, 'PX', 10_000, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`incident ${id} stayed locked for 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 3 + Math.random() * 7));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(UNLOCK, 1, key, token);
    }
  }
}

function cardField(platform: Platform, channel: string): string {
  return `${platform}|${channel}`;
}

function describeAlert(alert: StoredAlert): string {
  const where = alert.labels.instance ?? alert.labels.pod ?? alert.labels.job;
  const summary = alert.annotations.summary;
  return [alert.alertname, where ? `on ${where}` : undefined, summary ? `— ${summary}` : undefined].filter(Boolean).join(' ');
}
