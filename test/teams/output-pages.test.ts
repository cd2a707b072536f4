import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/core/registry.js';
import type { AdaptiveCard, ExecuteAction } from '../../src/platforms/teams/adaptive-card.js';
import { pageRanges } from '../../src/pipeline/output-pages.js';
import { logs } from '../../src/verbs/logs/logs.js';
import { seededCluster } from '../actions/seed.js';
import { cardAction, channelCommand } from './support/activities.js';
import { startTeamsHarness, type TeamsHarness } from './support/harness.js';

const POD_LINES = 150;
const k8s = seededCluster();
let h: TeamsHarness;
let pod: string;

beforeAll(async () => {
  pod = (await k8s.listPods('intelgraph-prod', 'app=maestro-orchestrator'))[0]!.name;
  // As the API serves it with timestamps=true: the kubelet's RFC 3339 time, a space, the line.
  const start = Date.now() - POD_LINES * 1000;
  k8s.logs.set(pod, Array.from({ length: POD_LINES }, (_, i) => `${new Date(start + i * 1000).toISOString()} line ${i} ${'x'.repeat(30)}`).join('\n'));
  h = await startTeamsHarness('output-pages', { registry: new ActionRegistry([logs]), ports: { kubernetes: k8s } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.fake.reset());

const cardOf = (body: Record<string, unknown>) => (body.attachments as Array<{ content: AdaptiveCard }>)[0]!.content;
const executes = (card: AdaptiveCard) => (card.actions ?? []).filter((a): a is ExecuteAction => a.type === 'Action.Execute');
const shownLines = (card: AdaptiveCard) => JSON.stringify(card).match(/line \d+ x+/g) ?? [];

async function postLogs(): Promise<{ cardId: string; threadId: string; card: AdaptiveCard }> {
  const command = channelCommand(h.fake.url, 'logs maestro-orchestrator');
  await h.send(command);
  await h.fake.waitFor(() => h.fake.activityCalls('send').length > 0);
  const sent = h.fake.activityCalls('send').at(-1)!;
  return { cardId: sent.id!, threadId: command.id, card: cardOf(sent.body) };
}

describe('Teams long output: a card of pages with Older and Newer buttons', () => {
  it('shows the newest page first, with only an Older button', async () => {
    const { card } = await postLogs();
    const ranges = pageRanges(Array.from({ length: POD_LINES }, () => `line 0 ${'x'.repeat(30)}`));
    const [start, end] = ranges[0]!;
    expect(shownLines(card)).toHaveLength(end - start);
    expect(shownLines(card).at(-1)).toBe(`line ${POD_LINES - 1} ${'x'.repeat(30)}`);
    expect(executes(card).map((a) => a.verb)).toEqual(['output.older']);
    expect(JSON.stringify(card)).toContain(`Lines ${start + 1}–${end} of ${POD_LINES}`);
  });

  it('answers Older with the page before, then Newer with the newest page again', async () => {
    const { cardId, threadId, card } = await postLogs();
    const older = executes(card)[0]!;
    const first = await h.send(cardAction(h.fake.url, { verb: older.verb, value: older.data.value, cardId, threadId }));
    expect(first.json?.type).toBe('application/vnd.microsoft.card.adaptive');
    const page2 = first.json?.value as AdaptiveCard;
    expect(shownLines(page2).at(-1)).toBe(`line ${POD_LINES - shownLines(card).length - 1} ${'x'.repeat(30)}`);
    expect(executes(page2).map((a) => a.verb)).toEqual(['output.older', 'output.newer']);
    // Everyone else sees the page turn too: the posted card is updated.
    await h.fake.waitFor(() => h.fake.activityCalls('update').some((c) => c.activityId === cardId));

    const newer = executes(page2).find((a) => a.verb === 'output.newer')!;
    const back = await h.send(cardAction(h.fake.url, { verb: newer.verb, value: newer.data.value, cardId, threadId }));
    expect(shownLines(back.json?.value as AdaptiveCard)).toEqual(shownLines(card));
  });

  it('refuses a page button pressed in another conversation', async () => {
    const { cardId, card } = await postLogs();
    const older = executes(card)[0]!;
    const response = await h.send(cardAction(h.fake.url, { verb: older.verb, value: older.data.value, cardId, channelId: '19:other@thread.tacv2' }));
    expect(response.json?.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(response.json?.value)).toContain('belong to another conversation');
  });

  it('refuses a page button whose value is not one the bot minted', async () => {
    const { cardId, threadId } = await postLogs();
    const response = await h.send(cardAction(h.fake.url, { verb: 'output.older', value: 'oAAAAAAAAAAAAAAAA', cardId, threadId }));
    expect(String(response.json?.value)).toContain('have expired');
  });
});

describe('pageRanges', () => {
  it('cuts pages from the newest line back, each within its line and character budget', () => {
    expect(pageRanges(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([
      [3, 5],
      [1, 3],
      [0, 1],
    ]);
    expect(pageRanges(['aaaa', 'bbbb', 'cccc'], 10, 10)).toEqual([
      [1, 3],
      [0, 1],
    ]);
  });

  it('gives an overlong line a page of its own rather than losing it', () => {
    expect(pageRanges(['short', 'x'.repeat(50), 'tail'], 10, 20)).toEqual([
      [2, 3],
      [1, 2],
      [0, 1],
    ]);
  });
});
