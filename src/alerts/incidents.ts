import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AlertAction, Catalog, Severity } from '../config/catalog-schema.js';
import type { MessageRef } from '../core/chat-port.js';
import type { AlertmanagerPayload } from './payload.js';

/** What the incident remembers of one alert, by fingerprint. */
export interface IncidentAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  generatorURL?: string;
}

/** Changes since the last render that deserve a thread reply, not just an edit. */
export interface PendingChanges {
  newFiring: string[];
  escalatedFrom?: Severity;
  resolved: boolean;
}

export interface IncidentCard {
  channel: string;
  ref: MessageRef;
}

export interface Incident {
  key: string;
  groupKey: string;
  alertname: string;
  status: 'firing' | 'resolved';
  severity: Severity;
  service?: string;
  env: string;
  alerts: Record<string, IncidentAlert>;
  truncatedAlerts: number;
  commonAnnotations: Record<string, string>;
  /** One opaque button id per action, minted once so every edit shows the same buttons. */
  actionIds: string[];
  /** The posted cards, one per platform+channel (the channel as the catalog names it; the ref may hold an id). */
  cards: IncidentCard[];
  /** Bumped on every merge; the renderer brings cards up to it, so a burst becomes one edit. */
  version: number;
  renderedVersion: number;
  pending: PendingChanges;
  createdAt: string;
  updatedAt: string;
}

const RANK: Record<Severity, number> = { P0: 0, P1: 1, P2: 2, P3: 3, P4: 4 };
export const DEFAULT_SEVERITY: Severity = 'P3';
const ACTION_TTL_S = 30 * 24 * 3600;
const INCIDENT_TTL_S = 30 * 24 * 3600;

export function newActionId(): string {
  return randomBytes(12).toString('hex');
}

export function incidentKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex').slice(0, 40);
}

function alertnameOf(payload: AlertmanagerPayload): string {
  return payload.commonLabels.alertname ?? payload.groupLabels.alertname ?? payload.alerts[0]?.labels.alertname ?? 'alert';
}

function severityOf(catalog: Catalog, alertname: string | undefined): Severity {
  return (alertname && catalog.alerts[alertname]?.severity) || DEFAULT_SEVERITY;
}

/** The catalog's alert decides the service; otherwise a label, but only if it names a catalog service. */
export function resolveTarget(catalog: Catalog, payload: AlertmanagerPayload): { service?: string; env: string } {
  const labels = { ...payload.alerts[0]?.labels, ...payload.commonLabels };
  const known = catalog.alerts[alertnameOf(payload)];
  const candidates = known ? [known.service] : [labels.service, labels.app, labels.deployment];
  const service = candidates.find((name): name is string => Boolean(name && name in catalog.services));
  const labelled = labels.env ?? labels.environment;
  const env = service && labelled && labelled in (catalog.services[service]?.envs ?? {}) ? labelled : catalog.defaults.env;
  return service ? { service, env } : { env };
}

export function actionsFor(catalog: Catalog, incident: Pick<Incident, 'alertname' | 'service'>): AlertAction[] {
  const actions = catalog.alerts[incident.alertname]?.actions ?? catalog.genericAlertActions;
  // A template that needs a service cannot be run for an alert that names none.
  return incident.service ? actions : actions.filter((a) => !a.command.includes('{service}'));
}

export function fillCommand(template: string, incident: Pick<Incident, 'service' | 'env'>): string {
  return template.replaceAll('{service}', incident.service ?? '').replaceAll('{env}', incident.env);
}

/**
 * Folds one notification into the incident. Pure, so the interesting rules (what is
 * a meaningful change) are testable without Redis.
 */
export function mergeNotification(
  catalog: Catalog,
  previous: Incident | undefined,
  payload: AlertmanagerPayload,
  now: Date,
  newId: () => string,
): Incident {
  const alertname = previous?.alertname ?? alertnameOf(payload);
  const alerts: Record<string, IncidentAlert> = { ...previous?.alerts };
  const newFiring: string[] = [];
  for (const alert of payload.alerts) {
    const before = alerts[alert.fingerprint];
    if (previous && alert.status === 'firing' && before?.status !== 'firing') newFiring.push(alert.fingerprint);
    alerts[alert.fingerprint] = {
      status: alert.status,
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    };
  }
  const firing = Object.values(alerts).filter((a) => a.status === 'firing');
  const status = firing.length > 0 ? 'firing' : 'resolved';
  // The worst firing alert sets the severity: a group can mix alert names.
  const severities = (firing.length > 0 ? firing : Object.values(alerts)).map((a) => severityOf(catalog, a.labels.alertname ?? alertname));
  const severity = severities.reduce<Severity>((worst, s) => (RANK[s] < RANK[worst] ? s : worst), 'P4');
  const target = previous ? { service: previous.service, env: previous.env } : resolveTarget(catalog, payload);
  const pending: PendingChanges = previous ? { ...previous.pending, newFiring: [...previous.pending.newFiring] } : { newFiring: [], resolved: false };
  if (previous) {
    for (const fp of newFiring) if (!pending.newFiring.includes(fp)) pending.newFiring.push(fp);
    if (status === 'firing' && RANK[severity] < RANK[previous.severity]) pending.escalatedFrom ??= previous.severity;
    if (status === 'resolved' && previous.status === 'firing') pending.resolved = true;
    if (status === 'firing') pending.resolved = false;
  }
  const base = {
    key: incidentKey(payload.groupKey),
    groupKey: payload.groupKey,
    alertname,
    status,
    severity,
    ...(target.service ? { service: target.service } : {}),
    env: target.env,
  } as const;
  return {
    ...base,
    alerts,
    truncatedAlerts: payload.truncatedAlerts,
    commonAnnotations: payload.commonAnnotations,
    actionIds: previous?.actionIds ?? actionsFor(catalog, base).map(() => newId()),
    cards: previous?.cards ?? [],
    version: (previous?.version ?? 0) + 1,
    renderedVersion: previous?.renderedVersion ?? 0,
    pending,
    createdAt: previous?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** Incidents and their button ids in Redis, under `<prefix>:incident:` and `<prefix>:alert-action:`. */
export class IncidentStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private incidentRedisKey(key: string): string {
    return `${this.prefix}:incident:${key}`;
  }

  async get(key: string): Promise<Incident | undefined> {
    const raw = await this.redis.get(this.incidentRedisKey(key));
    return raw ? (JSON.parse(raw) as Incident) : undefined;
  }

  async save(incident: Incident): Promise<void> {
    await this.redis.set(this.incidentRedisKey(incident.key), JSON.stringify(incident), 'EX', INCIDENT_TTL_S);
  }

  /** Stores what each of a new incident's button ids stands for. */
  async saveActionIds(incident: Incident): Promise<void> {
    const multi = this.redis.multi();
    incident.actionIds.forEach((id, index) => {
      multi.set(`${this.prefix}:alert-action:${id}`, JSON.stringify({ incident: incident.key, index }), 'EX', ACTION_TTL_S);
    });
    await multi.exec();
  }

  async action(id: string): Promise<{ incident: string; index: number } | undefined> {
    // Anything but our own id shape never reaches Redis as part of a key.
    if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
    const raw = await this.redis.get(`${this.prefix}:alert-action:${id}`);
    return raw ? (JSON.parse(raw) as { incident: string; index: number }) : undefined;
  }

  /**
   * A short mutual-exclusion lock: merges of one group are serialised. Returns a
   * release function, or undefined when `waitMs` passed without getting it.
   */
  async lock(name: string, ttlMs: number, waitMs: number): Promise<(() => Promise<void>) | undefined> {
    const key = `${this.prefix}:incident-lock:${name}`;
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + waitMs;
    for (;;) {
      if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') {
        return async () => {
          await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, key, token);
        };
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
