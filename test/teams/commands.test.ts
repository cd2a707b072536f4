import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../src/platforms/teams/adaptive-card.js';
import type { SlackTestPorts } from '../fixtures/slack-actions.js';
import { ALICE, CHANNEL_ID, channelCommand, GROUP_CHAT_ID, groupCommand, personalCommand } from './support/activities.js';
import { startTeamsHarness, type TeamsHarness } from './support/harness.js';

let h: TeamsHarness;
const ports: SlackTestPorts = { executions: [], steps: 3, stepMs: 30 };
beforeAll(async () => {
  h = await startTeamsHarness('commands', { ports });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
  ports.executions.length = 0;
});

function cardOf(body: Record<string, unknown>): AdaptiveCard {
  const attachments = body.attachments as Array<{ contentType: string; content: AdaptiveCard }>;
  return attachments[0]!.content;
}

describe('Teams commands', () => {
  it('answers a channel @mention with a plan card in the reply chain of the command', async () => {
    const command = channelCommand(h.fake.url, 'bump maestro-orchestrator');
    const response = await h.send(command);
    expect(response.status).toBe(200);

    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    const [sent] = h.fake.activityCalls('send');
    expect(sent!.conversationId).toBe(`${CHANNEL_ID};messageid=${command.id}`);
    expect(sent!.headers.authorization).toBe(`Bearer ${h.fake.outboundToken}`);
    const card = cardOf(sent!.body);
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card)).toContain('Bump maestro-orchestrator in prod from 1 to 2');
    expect(JSON.stringify(card.actions)).toContain('"verb":"plan.confirm"');
  });

  it('takes a plain command in a personal chat, without a mention', async () => {
    const command = personalCommand(h.fake.url, 'status maestro-orchestrator');
    await h.send(command);
    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    const [sent] = h.fake.activityCalls('send');
    expect(sent!.conversationId).toBe(`a:1personal-${ALICE.id}`);
    expect(JSON.stringify(cardOf(sent!.body))).toContain('Status of maestro-orchestrator in prod');
  });

  it('answers a group chat @mention in the chat itself, which has no reply chains', async () => {
    await h.send(groupCommand(h.fake.url, 'status maestro-orchestrator'));
    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    const [sent] = h.fake.activityCalls('send');
    expect(sent!.conversationId).toBe(GROUP_CHAT_ID);
    expect(JSON.stringify(cardOf(sent!.body))).toContain('Status of maestro-orchestrator in prod');
  });

  it('ignores group chat text that does not mention the bot', async () => {
    await h.send(groupCommand(h.fake.url, 'status maestro-orchestrator', { mention: false }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.activityCalls()).toHaveLength(0);
  });

  it('ignores channel text that does not mention the bot', async () => {
    await h.send(channelCommand(h.fake.url, 'bump maestro-orchestrator', { mention: false }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.activityCalls()).toHaveLength(0);
  });

  it('answers an unknown verb with a one-line error and runs nothing', async () => {
    await h.send(channelCommand(h.fake.url, 'explode maestro-orchestrator'));
    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    expect(JSON.stringify(cardOf(h.fake.activityCalls('send')[0]!.body))).toContain('help');
    expect(ports.executions).toHaveLength(0);
  });

  it('runs a command once when Teams delivers the same activity twice', async () => {
    const command = channelCommand(h.fake.url, 'bump notification-agent --env dev');
    await h.send(command);
    await h.send(command);
    await h.fake.waitFor(() => h.fake.activityCalls('send').some((c) => JSON.stringify(c.body).includes('Bumped')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ports.executions).toHaveLength(1);
    expect(h.fake.activityCalls('send').filter((c) => JSON.stringify(c.body).includes('Bump notification-agent'))).toHaveLength(1);
  });

  it('records the command in the audit trail with the Teams actor and tenant', async () => {
    await h.send(channelCommand(h.fake.url, 'status maestro-orchestrator'));
    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    const entry = h.audit.entries.findLast((e) => e.text === 'status maestro-orchestrator')!;
    expect(entry.actor).toEqual({ id: ALICE.aadObjectId, name: ALICE.name, platform: 'teams' });
    expect(entry.conversation?.id).toBe(CHANNEL_ID);
  });
});
