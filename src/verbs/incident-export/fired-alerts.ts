/**
 * The alerts that fired for a service, from the incident store: what the follow-up
 * issue's "failing alerts" should list, rather than every alert the catalog could raise.
 * Declared here by its consumer; the incident store and its lookups satisfy it structurally.
 */

/** One alert of an incident, as Alertmanager last described it. */
export interface FiredAlert {
  alertname: string;
  env: string;
  /** The incident's number on its card's footer. */
  incident?: number;
  severity: string;
  startsAt: string;
  /** Alertmanager's endsAt once resolved; absent while it still fires. */
  resolvedAt?: string;
}

export interface FiredAlertsReader {
  /** The alerts of the service's recent incidents, in every env, earliest first. */
  fired(service: string): Promise<FiredAlert[]>;
}

interface IncidentFacts {
  number?: number;
  service?: string;
  env: string;
  severity: string;
}

interface AlertFacts {
  alertname: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt: string;
}

/** How far back the export looks, in incidents of every service; each is kept 30 days anyway. */
const RECENT_INCIDENTS = 200;
const BATCH = 20;

/** Walks the recent incidents by their card numbers (the lookups) and reads the alerts of the service's (the store). */
export class IncidentFiredAlerts implements FiredAlertsReader {
  constructor(
    private readonly deps: {
      lookups: { latestNumber(): Promise<number>; byNumber(number: number): Promise<string | undefined> };
      store: { get(id: string): Promise<IncidentFacts | undefined>; alerts(id: string): Promise<AlertFacts[]> };
    },
  ) {}

  async fired(service: string): Promise<FiredAlert[]> {
    const latest = await this.deps.lookups.latestNumber();
    const numbers = Array.from({ length: Math.min(latest, RECENT_INCIDENTS) }, (_, i) => latest - i);
    const found: FiredAlert[] = [];
    for (let i = 0; i < numbers.length; i += BATCH) {
      const batch = await Promise.all(numbers.slice(i, i + BATCH).map((n) => this.incident(n)));
      for (const entry of batch) {
        if (!entry || entry.incident.service !== service) continue;
        for (const alert of await this.deps.store.alerts(entry.id)) found.push(firedAlert(entry.incident, alert));
      }
    }
    return found.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  private async incident(number: number): Promise<{ id: string; incident: IncidentFacts } | undefined> {
    const id = await this.deps.lookups.byNumber(number);
    const incident = id ? await this.deps.store.get(id) : undefined;
    return id && incident ? { id, incident } : undefined;
  }
}

function firedAlert(incident: IncidentFacts, alert: AlertFacts): FiredAlert {
  return {
    alertname: alert.alertname,
    env: incident.env,
    ...(incident.number === undefined ? {} : { incident: incident.number }),
    severity: incident.severity,
    startsAt: alert.startsAt,
    ...(alert.status === 'resolved' ? { resolvedAt: alert.endsAt } : {}),
  };
}
