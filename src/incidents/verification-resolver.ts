import type { Logger } from 'pino';
import type { AutomaticChangesPort } from './automatic-port.js';
import type { ChatLookup } from './card-sync.js';
import type { ChannelLimiter } from './channel-limiter.js';
import type { IncidentCards } from './incident-cards.js';
import type { IncidentLookups } from './incident-lookups.js';
import type { IncidentPager } from './incident-pager.js';
import type { IncidentStore } from './incident-store.js';
import { incidentThread, quoted } from './incident-thread.js';

export interface VerificationResolverDeps {
  store: IncidentStore;
  lookups: IncidentLookups;
  cards: IncidentCards;
  chats: ChatLookup;
  /** The alert channels' one schedule of new messages (the cards take it too). */
  limiter: ChannelLimiter;
  pager: IncidentPager;
  automatic: () => AutomaticChangesPort | undefined;
  log: Logger;
}

/**
 * Verification's IncidentResolver (src/verification/ports.ts). A mitigation that
 * held resolves the service's latest incident by a `resolve` command maestro-bot
 * runs in the incident's thread, through the pipeline like anyone's (policy,
 * audit, once per incident episode), with verification's note; one that did not
 * hold pages again.
 */
export class VerificationResolver {
  constructor(private readonly deps: VerificationResolverDeps) {}

  async resolve(service: string, env: string, note: string): Promise<void> {
    const { lookups, store, log } = this.deps;
    const id = await lookups.latestFor(service, env);
    const incident = id ? await store.get(id) : undefined;
    if (!incident || incident.number === undefined) return;
    const automatic = this.deps.automatic();
    if (!automatic) throw new Error('automatic changes are not wired (Incidents.automate): the incident was not resolved');
    const { conversation, threadId, chat } = await incidentThread(incident.id, this.deps.cards, this.deps.chats, this.deps.limiter, log);
    const outcome = await automatic.run(
      {
        key: `resolve:${incident.id}:${incident.pagerduty.pages ?? 0}`,
        text: `resolve ${incident.number} --note ${quoted(note.slice(0, 1024))}`,
        conversation,
        ...(threadId ? { threadId } : {}),
      },
      chat,
    );
    if (outcome.kind === 'failed') log.warn({ incident: incident.id, reason: outcome.error }, 'verification could not resolve the incident');
  }

  /** The mitigation did not hold: page on-call again with what regressed. */
  repage(service: string, env: string, summary: string): Promise<void> {
    return this.deps.pager.repage(service, env, summary);
  }
}
