import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { eventSeverity, type PagerDutyClient } from '../clients/pagerduty.js';
import type { Catalog, Severity } from '../config/catalog-schema.js';
import type { MessageRef } from '../core/chat-port.js';
import { UserError } from '../core/errors.js';
import type { Incident } from './incident.js';
import type { IncidentCards } from './incident-cards.js';
import type { IncidentLookups } from './incident-lookups.js';
import type { IncidentStore } from './incident-store.js';

export interface IncidentPagerDeps {
  catalog: Catalog;
  pagerduty: PagerDutyClient;
  routingKeys: Record<string, string>;
  store: IncidentStore;
  lookups: IncidentLookups;
  cards: IncidentCards;
  /** Asks for the incident's cards to be brought up to date (they show the page). */
  changed(id: string): Promise<void>;
  /** A link to a card's thread for PagerDuty events. */
  threadLink: (ref: MessageRef) => string | undefined;
  log: Logger;
}

/**
 * PagerDuty Events v2 as the rest of the bot needs it: `page` (break-glass, the
 * `page` verb), `pageIncident` (the `page` job an alert of a paging severity
 * enqueues), `alertsCleared` and `repage` (verification). Structurally it is the
 * Pager of src/pipeline/break-glass.ts and the PagePort of src/verbs/page/page.ts.
 */
export class IncidentPager {
  constructor(private readonly deps: IncidentPagerDeps) {}

  /**
   * Triggers an event on the routing key of `details.service` in `details.env`. Nothing
   * else stands in for a missing key: paging another env's or service's on-call is
   * worse than a clear refusal.
   */
  async page(summary: string, details: Record<string, unknown>, options: { dedupKey?: string; severity?: Severity } = {}): Promise<{ dedupKey: string }> {
    const service = typeof details.service === 'string' ? details.service : undefined;
    const env = typeof details.env === 'string' ? details.env : this.deps.catalog.defaults.env;
    const routingKey = this.routingKey(service, env);
    const dedupKey = options.dedupKey ?? `maestro-page-${createHash('sha256').update(`${summary}\0${JSON.stringify(details)}`).digest('hex').slice(0, 32)}`;
    await this.deps.pagerduty.trigger({
      routingKey,
      dedupKey,
      summary,
      severity: eventSeverity(options.severity ?? 'P1'),
      source: service ?? 'maestro-bot',
      ...(service ? { component: service } : {}),
      group: env,
      class: 'maestro-bot',
      customDetails: details,
      ...(typeof details.threadUrl === 'string' ? { links: [{ href: details.threadUrl, text: 'Chat thread' }] } : {}),
    });
    return { dedupKey };
  }

  /**
   * Pages about an alert's incident on its group's dedup key and the routing key of
   * its service and env, linking its card threads, then records the page on it.
   */
  async pageIncident(number: number, summary: string): Promise<{ dedupKey: string }> {
    const id = await this.deps.lookups.byNumber(number);
    const incident = id ? await this.deps.store.get(id) : undefined;
    if (!incident) throw new UserError(`no incident ${number} is known; nothing was paged`, 'incident_unknown');
    const pd = incident.pagerduty;
    const routingKey = this.incidentRoutingKey(incident);
    const refs = (await this.deps.cards.cards(incident.id)).flatMap((c) => (c.ref ? [c.ref] : []));
    await this.deps.pagerduty.trigger({
      routingKey,
      dedupKey: pd.dedupKey,
      summary,
      severity: eventSeverity(incident.severity),
      source: incident.service ?? incident.commonLabels.instance ?? 'alertmanager',
      ...(incident.service ? { component: incident.service } : {}),
      group: incident.env,
      class: incident.alertname,
      customDetails: { groupKey: incident.groupKey, firing: incident.firing, resolved: incident.resolved, labels: incident.commonLabels },
      links: [
        ...refs.flatMap((ref) => {
          const href = this.deps.threadLink(ref);
          return href ? [{ href, text: `Incident thread (${ref.platform})` }] : [];
        }),
        ...(incident.externalURL.startsWith('http') ? [{ href: incident.externalURL, text: 'Alertmanager' }] : []),
      ],
    });
    await this.deps.store.change(incident.id, (current) => {
      current.pagerduty.state = 'triggered';
      current.pagerduty.pages = (current.pagerduty.pages ?? 0) + 1;
      return current;
    });
    await this.deps.changed(incident.id);
    return { dedupKey: pd.dedupKey };
  }

  /** Refuses, before anything is queued, a page that has no routing key of its own. */
  checkRoute(service: string, env: string): void {
    this.routingKey(service, env);
  }

  /** Whether the REST API can be written (an API token and a From user), which escalating needs. */
  get canEscalate(): boolean {
    return this.deps.pagerduty.canWrite;
  }

  /**
   * Moves the PagerDuty incident opened by `dedupKey` to an escalation level. Events are
   * processed asynchronously, so the incident may not be listed yet: that is a plain
   * error, and the job's retry (with the same dedup key, so the same page) tries again.
   */
  async escalate(dedupKey: string, level: number): Promise<{ incidentId: string }> {
    const found = await this.deps.pagerduty.findIncident(dedupKey);
    if (!found) throw new Error(`PagerDuty has no open incident for dedup key ${dedupKey} yet`);
    await this.deps.pagerduty.setEscalationLevel(found.id, level);
    return { incidentId: found.id };
  }

  /** Every alert of a paged group resolved: the event is resolved on its dedup key. */
  async alertsCleared(incident: Incident): Promise<void> {
    await this.deps.pagerduty.resolveEvent(this.incidentRoutingKey(incident), incident.pagerduty.dedupKey);
    await this.deps.store.change(incident.id, (current) => {
      current.pagerduty.state = 'resolved';
      return current;
    });
  }

  /** Whether alert paging can reach PagerDuty for this incident (a routing key for its service and env). */
  canPage(incident: Incident): boolean {
    const named = incident.pagerduty.routingKeyEnv;
    return Boolean(named && this.deps.routingKeys[named]);
  }

  /** The mitigation did not hold: page again, on the open incident's dedup key when there is one. */
  async repage(service: string, env: string, summary: string): Promise<void> {
    const id = await this.deps.lookups.latestFor(service, env);
    const incident = id ? await this.deps.store.get(id) : undefined;
    const dedupKey = incident && incident.pagerduty.state === 'triggered' ? incident.pagerduty.dedupKey : `maestro-regression-${service}-${env}-${Date.now()}`;
    await this.page(summary, { service, env, reason: 'verification regression' }, { dedupKey, severity: incident?.severity ?? 'P1' });
  }

  private incidentRoutingKey(incident: Incident): string {
    const named = incident.pagerduty.routingKeyEnv;
    const key = named ? this.deps.routingKeys[named] : undefined;
    if (!key) {
      throw new UserError(
        `no PagerDuty routing key for ${incident.service ?? 'this alert'} in ${incident.env}: ${named ? `set ${named}` : 'give the service a pagerdutyRoutingKeyEnv in the catalog'}`,
        'pagerduty_unconfigured',
      );
    }
    return key;
  }

  private routingKey(service: string | undefined, env: string): string {
    const named = service ? this.deps.catalog.services[service]?.envs[env]?.pagerdutyRoutingKeyEnv : undefined;
    const key = named ? this.deps.routingKeys[named] : undefined;
    if (!key) {
      throw new UserError(
        named
          ? `no PagerDuty routing key for ${service} in ${env}: set ${named}; nothing was paged`
          : service
            ? `no PagerDuty routing key for ${service} in ${env}: give its ${env} env a pagerdutyRoutingKeyEnv in the catalog and set that variable; nothing was paged`
            : `no PagerDuty routing key for a page that names no service; nothing was paged`,
        'pagerduty_unconfigured',
      );
    }
    return key;
  }
}
