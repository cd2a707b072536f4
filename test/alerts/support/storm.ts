import { incidentIdFor } from '../../../src/incidents/incident.js';
import { notification } from '../../fixtures/alertmanager/payloads.js';
import type { AlertHarness } from './harness.js';

const SERVICES = ['maestro-orchestrator', 'notification-agent', 'victor-coordinators', 'maestro-premium-router'];

export interface StormResult {
  notifications: number;
  groups: number;
  intakeMs: number;
  settleMs: number;
  incidents: number;
  fingerprintsStored: number;
  cardsPerGroupPerChannel: { min: number; max: number };
  editsPerGroup: { max: number; mean: number };
  threadReplies: number;
  /** Shortest gap between two posts in one channel, as they arrived (delivery jitter included). */
  minPostGapMs: number;
  /** Highest sustained rate in any channel: posts after the first over the time they took, per second. */
  maxPostsPerSecond: number;
}

export function groupKey(g: number): string {
  return `{}/{}:{alertname="StormAlert", shard="${g}"}`;
}

/** Sends groups × perGroup notifications, each adding one new alert to its group, then waits for every card. */
export async function runStorm(h: AlertHarness, options: { groups: number; perGroup: number; concurrency?: number }): Promise<StormResult> {
  const bodies: unknown[] = [];
  for (let i = 0; i < options.perGroup; i++) {
    for (let g = 0; g < options.groups; g++) {
      const fps = Array.from({ length: i + 1 }, (_, k) => ({ alertname: 'StormAlert', fingerprint: `g${g}a${k}`, labels: { app: SERVICES[g % SERVICES.length]!, pod: `pod-${k}` } }));
      bodies.push(notification(groupKey(g), fps.slice(-3)));
    }
  }
  const started = performance.now();
  let next = 0;
  const failures: number[] = [];
  await Promise.all(
    Array.from({ length: options.concurrency ?? 50 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await h.notify(body);
        if (response.status !== 200) failures.push(response.status);
        await response.arrayBuffer();
      }
    }),
  );
  const intakeMs = performance.now() - started;
  if (failures.length > 0) throw new Error(`receiver refused ${failures.length} notifications: ${failures.slice(0, 5).join(', ')}`);
  await h.incidents.settled(120_000);
  const settleMs = performance.now() - started;

  let fingerprintsStored = 0;
  let incidents = 0;
  for (let g = 0; g < options.groups; g++) {
    const id = incidentIdFor(groupKey(g));
    if (await h.incidents.store.get(id)) incidents += 1;
    fingerprintsStored += (await h.incidents.store.alerts(id)).length;
  }
  const posts = h.slackApi.succeeded('chat.postMessage');
  const cards = posts.filter((c) => !c.body.thread_ts);
  const perGroup = new Map<string, number>();
  for (const card of cards) {
    const key = `${card.body.channel}|${/group (i[0-9a-f]+)/.exec(String(card.body.text))?.[1]}`;
    perGroup.set(key, (perGroup.get(key) ?? 0) + 1);
  }
  const edits = new Map<string, number>();
  for (const edit of h.slackApi.succeeded('chat.update')) edits.set(String(edit.body.ts), (edits.get(String(edit.body.ts)) ?? 0) + 1);
  const byChannel = new Map<string, number[]>();
  for (const post of posts) byChannel.set(String(post.body.channel), [...(byChannel.get(String(post.body.channel)) ?? []), post.at]);
  let minPostGapMs = Number.POSITIVE_INFINITY;
  let maxPostsPerSecond = 0;
  for (const times of byChannel.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) minPostGapMs = Math.min(minPostGapMs, times[i]! - times[i - 1]!);
    const span = times.at(-1)! - times[0]!;
    if (times.length > 1) maxPostsPerSecond = Math.max(maxPostsPerSecond, (times.length - 1) / (span / 1000));
  }
  const editCounts = [...edits.values()];
  return {
    notifications: bodies.length,
    groups: options.groups,
    intakeMs: Math.round(intakeMs),
    settleMs: Math.round(settleMs),
    incidents,
    fingerprintsStored,
    cardsPerGroupPerChannel: { min: Math.min(...perGroup.values()), max: Math.max(...perGroup.values()) },
    editsPerGroup: { max: Math.max(0, ...editCounts), mean: editCounts.length ? Math.round((editCounts.reduce((a, b) => a + b, 0) / editCounts.length) * 10) / 10 : 0 },
    threadReplies: posts.length - cards.length,
    minPostGapMs: Number.isFinite(minPostGapMs) ? minPostGapMs : 0,
    maxPostsPerSecond: Math.round(maxPostsPerSecond * 1000) / 1000,
  };
}
