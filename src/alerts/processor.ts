import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { ChatPort } from '../core/chat-port.js';
import type { Platform } from '../core/request.js';
import { changeReply, incidentCard } from './card.js';
import { type Incident, type IncidentCard, type IncidentStore, incidentKey, mergeNotification, newActionId } from './incidents.js';
import type { AlertmanagerPayload } from './payload.js';

export type ChatLookup = (platform: Platform) => ChatPort | undefined;
export type ChatPlatform = 'slack' | 'teams';
export const ALERT_PLATFORMS: ChatPlatform[] = ['slack', 'teams'];

export interface AlertProcessorDeps {
  store: IncidentStore;
  catalog: Catalog;
  chats: ChatLookup;
  log: Logger;
  /** Where alerts of no catalog service go; without a channel they are only logged. */
  fallbackChannels?: Partial<Record<ChatPlatform, string[]>>;
  now?: () => Date;
}

const MERGE_LOCK_MS = 10_000;
const RENDER_LOCK_MS = 60_000;

/** Runs one `alerts` job: fold the notification into its incident, then bring the cards up to date. */
export async function processNotification(deps: AlertProcessorDeps, payload: AlertmanagerPayload): Promise<void> {
  const key = incidentKey(payload.groupKey);
  await withMergeLock(deps, key, async () => {
    const previous = await deps.store.get(key);
    const incident = mergeNotification(deps.catalog, previous, payload, (deps.now ?? (() => new Date()))(), newActionId);
    if (!previous) await deps.store.saveActionIds(incident);
    await deps.store.save(incident);
  });
  await render(deps, key);
}

async function withMergeLock<T>(deps: AlertProcessorDeps, key: string, fn: () => Promise<T>): Promise<T> {
  const release = await deps.store.lock(`merge:${key}`, MERGE_LOCK_MS, MERGE_LOCK_MS);
  // Thrown, so BullMQ retries the job rather than dropping the notification.
  if (!release) throw new Error(`incident ${key} stayed locked`);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/**
 * One renderer per incident at a time. Jobs that find it busy leave: the holder
 * loops until the stored version is rendered, so a burst that lands while it talks
 * to the chat platforms becomes a single edit per card.
 */
async function render(deps: AlertProcessorDeps, key: string): Promise<void> {
  for (;;) {
    const release = await deps.store.lock(`render:${key}`, RENDER_LOCK_MS, 0);
    if (!release) return;
    try {
      for (;;) {
        const incident = await deps.store.get(key);
        if (!incident || incident.renderedVersion >= incident.version) break;
        await renderOnce(deps, incident);
      }
    } finally {
      await release();
    }
    // A merge that landed after our last look but before the release saw the lock taken and left.
    const after = await deps.store.get(key);
    if (!after || after.renderedVersion >= after.version) return;
  }
}

interface Target {
  platform: ChatPlatform;
  channel: string;
  chat: ChatPort;
}

function targets(deps: AlertProcessorDeps, incident: Incident): Target[] {
  const service = incident.service ? deps.catalog.services[incident.service] : undefined;
  const out: Target[] = [];
  for (const platform of ALERT_PLATFORMS) {
    const chat = deps.chats(platform);
    if (!chat) continue;
    const channels = service ? service.channels[platform] : (deps.fallbackChannels?.[platform] ?? []);
    for (const channel of channels) out.push({ platform, channel, chat });
  }
  return out;
}

async function renderOnce(deps: AlertProcessorDeps, incident: Incident): Promise<void> {
  const log = deps.log.child({ incident: incident.key, alertname: incident.alertname });
  const card = incidentCard(deps.catalog, incident);
  const reply = changeReply(incident, incident.pending);
  const posted: IncidentCard[] = [];
  let failures = 0;
  const list = targets(deps, incident);
  if (list.length === 0) log.warn({ service: incident.service ?? null, status: incident.status }, 'alert has no channel to go to; only logged');
  for (const target of list) {
    const existing = incident.cards.find((c) => c.ref.platform === target.platform && c.channel === target.channel);
    try {
      if (!existing) {
        const ref = await target.chat.post(target.channel, card);
        posted.push({ channel: target.channel, ref });
        continue;
      }
      await target.chat.update(existing.ref, card);
      if (reply) await target.chat.reply(existing.ref, reply);
    } catch (error) {
      failures++;
      log.warn({ err: error, platform: target.platform, channel: target.channel }, 'alert card could not be posted or edited');
    }
  }
  await withMergeLock(deps, incident.key, async () => {
    const latest = (await deps.store.get(incident.key)) ?? incident;
    const rendered = incident.pending;
    latest.cards = [...latest.cards, ...posted];
    latest.renderedVersion = incident.version;
    latest.pending = {
      newFiring: latest.pending.newFiring.filter((fp) => !rendered.newFiring.includes(fp)),
      resolved: latest.pending.resolved && !rendered.resolved,
      ...(latest.pending.escalatedFrom && !rendered.escalatedFrom ? { escalatedFrom: latest.pending.escalatedFrom } : {}),
    };
    await deps.store.save(latest);
  });
  // The retry merges the same notification again and posts the cards that are still missing.
  if (failures > 0) throw new Error(`${failures} alert card(s) could not be delivered`);
}
