import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { eventSeverity, type PagerDutyClient } from '../clients/pagerduty.js';
import type { Catalog, Severity } from '../config/catalog-schema.js';
import { UserError } from '../core/errors.js';
import type { IncidentStore } from './incident-store.js';
import type { IncidentResponder } from './responder.js';

export interface IncidentPagerDeps {
  catalog: Catalog;
  pagerduty: PagerDutyClient;
  routingKeys: Record<string, string>;
  store: IncidentStore;
  responder: IncidentResponder;
  log: Logger;
}

/**
 * PagerDuty as the rest of the bot needs it: `page` (break-glass, the `page` verb),
 * `resolve` and `repage` (verification). Structurally it is the Pager of
 * src/pipeline/break-glass.ts and the IncidentResolver of src/verification/ports.ts.
 */
export class IncidentPager {
  constructor(private readonly deps: IncidentPagerDeps) {}

  /** Triggers an event; `details.service`/`details.env` choose the routing key (else the first configured). */
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

  /** The mitigation held: resolve the service's latest open incident (PagerDuty and card). */
  async resolve(service: string, env: string, note: string): Promise<void> {
    const id = await this.deps.store.latestFor(service, env);
    if (!id) return;
    const outcome = await this.deps.responder.resolve(id, { name: 'maestro-bot verification', via: 'console' }, note);
    if (!outcome.ok) this.deps.log.warn({ incident: id, reason: outcome.error }, 'verification could not resolve the incident');
  }

  /** The mitigation did not hold: page again, on the open incident's dedup key when there is one. */
  async repage(service: string, env: string, summary: string): Promise<void> {
    const id = await this.deps.store.latestFor(service, env);
    const incident = id ? await this.deps.store.get(id) : undefined;
    const dedupKey = incident && incident.pagerduty.state === 'triggered' ? incident.pagerduty.dedupKey : `maestro-regression-${service}-${env}-${Date.now()}`;
    await this.page(summary, { service, env, reason: 'verification regression' }, { dedupKey, severity: incident?.severity ?? 'P1' });
  }

  private routingKey(service: string | undefined, env: string): string {
    const named = service ? this.deps.catalog.services[service]?.envs[env]?.pagerdutyRoutingKeyEnv : undefined;
    const key = named ? this.deps.routingKeys[named] : Object.values(this.deps.routingKeys)[0];
    if (!key) {
      throw new UserError(
        named
          ? `no PagerDuty routing key for ${service} in ${env}: set ${named}`
          : `no PagerDuty routing key for ${service ?? 'the bot'} in ${env}: give the service a pagerdutyRoutingKeyEnv in the catalog and set that variable`,
        'pagerduty_unconfigured',
      );
    }
    return key;
  }
}
