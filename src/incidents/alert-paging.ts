import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { AutomaticChangesPort } from './automatic-port.js';
import type { ChatLookup } from './card-sync.js';
import type { ChannelLimiter } from './channel-limiter.js';
import type { Incident } from './incident.js';
import type { IncidentCards } from './incident-cards.js';
import type { IncidentPager } from './incident-pager.js';
import { incidentThread, quoted } from './incident-thread.js';

export interface AlertPagingDeps {
  catalog: Catalog;
  cards: IncidentCards;
  chats: ChatLookup;
  /** The alert channels' one schedule of new messages (the cards take it too). */
  limiter: ChannelLimiter;
  log: Logger;
  pager?: IncidentPager;
  /** The pipeline's entry for automatic changes, once the command handler exists (Incidents.automate). */
  automatic?: () => AutomaticChangesPort | undefined;
}

/**
 * Brings PagerDuty in line with an incident after each card flush. An open
 * incident of a paging severity is paged by a `page` command maestro-bot runs
 * in the incident's thread, through the pipeline like anyone's: policy, audit,
 * a job, its result in the thread; the key of the page (the incident and how
 * many times it paged) makes a repeated notification, a retried flush or a
 * second replica page once. A paged incident whose alerts all resolved has its
 * event resolved.
 */
export class AlertPaging {
  constructor(private readonly deps: AlertPagingDeps) {}

  async sync(incident: Incident): Promise<void> {
    const { catalog, log, pager } = this.deps;
    const pd = incident.pagerduty;
    const open = incident.status === 'firing' && !incident.resolvedBy;
    const paging = catalog.defaults.pagingSeverities.includes(incident.severity);
    const wantTrigger = open && paging && pd.state !== 'triggered';
    const wantResolve = !open && pd.state === 'triggered';
    if (!wantTrigger && !wantResolve) return;
    if (!pager?.canPage(incident)) {
      if (wantTrigger) log.warn({ incident: incident.id, service: incident.service, env: incident.env, routingKeyEnv: pd.routingKeyEnv }, 'a paging alert cannot page: no PagerDuty routing key for its service and env');
      return;
    }
    if (wantResolve) {
      await pager.alertsCleared(incident);
      return;
    }
    const automatic = this.deps.automatic?.();
    if (!automatic || !incident.service || incident.number === undefined) {
      log.error({ incident: incident.id }, 'a paging alert cannot page: automatic changes are not wired (Incidents.automate)');
      return;
    }
    const { conversation, threadId, chat } = await incidentThread(incident.id, this.deps.cards, this.deps.chats, this.deps.limiter, log);
    const outcome = await automatic.run(
      {
        key: `page:${incident.id}:${pd.pages ?? 0}`,
        text: `page ${incident.service} ${quoted(pageSummary(incident))} --incident ${incident.number} --env ${incident.env}`,
        conversation,
        ...(threadId ? { threadId } : {}),
      },
      chat,
    );
    if (outcome.kind === 'failed') log.warn({ incident: incident.id, reason: outcome.error }, 'the alert did not page');
  }
}

/** What the on-call reads on their phone: severity, alert, where, and the alert's own summary. */
export function pageSummary(incident: Incident): string {
  const where = `${incident.alertname}${incident.service ? ` on ${incident.service}` : ''} (${incident.env})`;
  return `[${incident.severity}] ${where}: ${incident.commonAnnotations.summary ?? `${incident.firing} alert(s) firing`}`.slice(0, 1024);
}
