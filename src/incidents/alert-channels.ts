import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Catalog, Channels } from '../config/catalog-schema.js';
import { type CardPlatformName, cardPlatformNames, channelPlatformTitles } from '../platforms/index.js';
import type { Incident } from './incident.js';

/** The platforms incident cards are posted on (those whose descriptor says `alertCards`). */
export const CARD_PLATFORMS = cardPlatformNames;

export type CardPlatform = CardPlatformName;

/** Per platform, where cards of alerts no service claims go (the catalog's `defaults.alertChannels`). */
export type FallbackChannels = Partial<Record<CardPlatform, readonly string[]>>;

export interface CardTarget {
  platform: CardPlatform;
  channel: string;
}

/**
 * Where an incident's cards go: on each platform, the service's channels there;
 * when the alert names no catalog service, or its service has no channel on that
 * platform, the fallback channels (the catalog's `defaults.alertChannels`).
 */
export function cardTargets(catalog: Catalog, service: string | undefined, fallback: FallbackChannels = {}): CardTarget[] {
  const own: Partial<Channels> = (service ? catalog.services[service]?.channels : undefined) ?? {};
  return CARD_PLATFORMS.flatMap((platform) => {
    const serviceChannels = own[platform] ?? [];
    const channels = serviceChannels.length > 0 ? serviceChannels : (fallback[platform] ?? []);
    return channels.map((channel) => ({ platform, channel }));
  });
}

const UNROUTED = 'maestro_bot_alert_notifications_unrouted_total';

/**
 * The alarm for an alert nobody would see: no channel of its service and no
 * default channel on any platform the bot is connected to. Alertmanager has been
 * answered already (a retry would change nothing), so the notification is logged
 * and counted instead of dropped quietly.
 */
export class UnroutedAlerts {
  private readonly counter: Counter<'alertname'>;

  constructor(
    private readonly log: Logger,
    registry?: Registry,
  ) {
    const existing = registry?.getSingleMetric(UNROUTED);
    this.counter =
      (existing as Counter<'alertname'> | undefined) ??
      new Counter({
        name: UNROUTED,
        help: 'Alertmanager notifications no chat channel shows: their service has no channel and the catalog sets no defaults.alertChannels on a connected platform',
        labelNames: ['alertname'],
        registers: registry ? [registry] : [],
      });
  }

  report(incident: Incident, connected: readonly CardPlatform[]): void {
    this.counter.inc({ alertname: incident.alertname });
    const why =
      connected.length === 0
        ? `the bot is connected to neither ${channelPlatformTitles('nor')}`
        : `${incident.service ? `service ${incident.service} has no channel` : 'its labels name no catalog service'} on ${connected.join(' or ')} and the catalog has no defaults.alertChannels there; add them to the catalog (MAESTRO_CATALOG)`;
    this.log.warn(
      { alertname: incident.alertname, groupKey: incident.groupKey, incident: incident.id, service: incident.service, status: incident.status, platforms: connected },
      `alert ${incident.alertname} (group ${incident.groupKey}) is shown in no channel: ${why}`,
    );
  }
}
