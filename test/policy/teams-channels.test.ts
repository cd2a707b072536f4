import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { directoryLookups } from '../../src/app/channel-directories.js';
import { parseCatalog } from '../../src/config/catalog.js';
import type { Actor, Conversation } from '../../src/core/request.js';
import { ConversationStore, channelDirectoryOf } from '../../src/platforms/teams/conversations.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { lastEphemeral, PolicyHarness } from './support.js';

/**
 * Teams channel messages carry the channel's id, never its name (channelData.channel.id,
 * channelData.team.id, channelData.tenant.id: learn.microsoft.com/microsoftteams/platform/
 * bots/how-to/conversations/channel-and-group-conversations). The shipped catalog names the
 * incident channel "Maestro Incidents"; the policy resolves that name to the ids the bot
 * learned, and compares ids.
 */

const TENANT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
// The shipped catalog's placeholder team for sre; its General channel has the team's id.
const SRE_TEAM = '19:maestro-sre-placeholder@thread.tacv2';
const INCIDENTS = '19:4b3fd8c2a7e14f0f9c1d2e3f4a5b6c7d@thread.tacv2';
const RANDOM = '19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

const shipped = readFileSync('config/catalog.yaml', 'utf8');
const ada: Actor = { id: '0b7a4c52-9f3e-4d8a-b1c6-2e5f7a9d3c10', name: 'ada', platform: 'teams' };

/** A team channel as the normaliser gives it: ids only, no name. */
function channel(id: string): Conversation {
  return { platform: 'teams', id, teamId: SRE_TEAM, tenantId: TENANT };
}

/**
 * What the bot stores for a channel it learned: the conversation reference of the install
 * event with the channel's id (TurnContext.getConversationReference; a channel of a team
 * from `GET v3/teams/{teamId}/conversations`: learn.microsoft.com/microsoftteams/platform/
 * bots/how-to/get-teams-context#get-the-list-of-channels-in-a-team).
 */
function reference(id: string) {
  return {
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    bot: { id: '28:6f1c2a4e-8d3b-4c7a-9e21-0b5d7f3a1c90', name: 'maestro' },
    conversation: { id, conversationType: 'channel', tenantId: TENANT, isGroup: true, name: '' },
  };
}

const redis = testRedis();
const prefix = testPrefix('teams-channels');
const store = new ConversationStore(redis, prefix);
const directory = directoryLookups(new Map([['teams', channelDirectoryOf(store)]]));
const harnesses = new Map<string, PolicyHarness>();

/** The command path with the policy of `catalogText` (the shipped catalog unless a test changes it). */
function harness(catalogText = shipped): PolicyHarness {
  const known = harnesses.get(catalogText);
  if (known) return known;
  const h = new PolicyHarness(`teams-channels-${harnesses.size}`, { catalog: parseCatalog(catalogText, 'catalog.yaml'), directory });
  harnesses.set(catalogText, h);
  return h;
}

beforeEach(async () => {
  await cleanPrefix(redis, prefix);
  // Install: the team's channel list names the incident channel and a random one.
  await store.remember(reference(INCIDENTS), ['Maestro Incidents']);
  await store.remember(reference(RANDOM), ['random']);
});

afterAll(async () => {
  for (const h of harnesses.values()) await h.close();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

const DENIED = "denied by rule prod-from-incident-channels: prod is changed only from the service's incident channels or #maestro-pager. Nothing was done.";

describe('Teams channels in the policy, by id', () => {
  it('allows a prod change from the channel learned as "Maestro Incidents", though the request names no channel', async () => {
    const h = harness();
    const result = await h.type(h.chat('teams'), ada, 'scale maestro-orchestrator --env prod', channel(INCIDENTS));
    expect(result.kind).toBe('needs_confirmation');
  });

  it("denies a prod change from another channel with the rule's full text", async () => {
    const h = harness();
    const chat = h.chat('teams');
    h.ports.calls.length = 0;
    const result = await h.type(chat, ada, 'scale maestro-orchestrator --env prod', channel(RANDOM));
    expect(result).toEqual({ kind: 'failed', error: DENIED });
    expect(lastEphemeral(chat)).toBe(DENIED);
    expect(h.ports.calls).toEqual([]);
  });

  it('no longer matches a channel by the name it had before a rename', async () => {
    // channelRenamed (conversationUpdate, channelData.eventType): the event carries the new name.
    await store.remember(reference(INCIDENTS), ['Old Incidents']);
    const h = harness();
    const result = await h.type(h.chat('teams'), ada, 'scale maestro-orchestrator --env prod', channel(INCIDENTS));
    expect(result).toEqual({ kind: 'failed', error: DENIED });
  });

  it('matches the channel that took the name over after a rename', async () => {
    await store.remember(reference(INCIDENTS), ['Old Incidents']);
    await store.remember(reference(RANDOM), ['Maestro Incidents']);
    const h = harness();
    const result = await h.type(h.chat('teams'), ada, 'scale maestro-orchestrator --env prod', channel(RANDOM));
    expect(result.kind).toBe('needs_confirmation');
  });

  it('matches nothing for a deleted channel', async () => {
    // channelDeleted: the bot forgets the channel.
    await store.forget(INCIDENTS);
    const h = harness();
    const result = await h.type(h.chat('teams'), ada, 'scale maestro-orchestrator --env prod', channel(INCIDENTS));
    expect(result).toEqual({ kind: 'failed', error: DENIED });
  });

  it('does not trust a channel name a request carries when the directory knows no channel by it', async () => {
    await store.forget(INCIDENTS);
    const h = harness();
    const named = { ...channel(INCIDENTS), name: 'Maestro Incidents' };
    const result = await h.type(h.chat('teams'), ada, 'scale maestro-orchestrator --env prod', named);
    expect(result).toEqual({ kind: 'failed', error: DENIED });
  });

  it('matches a channel the catalog names by id, with no name learned', async () => {
    await cleanPrefix(redis, prefix);
    const raw = parse(shipped);
    raw.services['maestro-orchestrator'].channels.teams = [INCIDENTS];
    const h = harness(stringify(raw));
    const result = await h.type(h.chat('teams'), ada, 'scale maestro-orchestrator --env prod', channel(INCIDENTS));
    expect(result.kind).toBe('needs_confirmation');
  });

  it('keeps matching Slack channels by the name Slack sends, with a Teams directory present', async () => {
    const raw = parse(shipped);
    raw.policy.roles.sre.slack.users = ['U0ADA'];
    const h = harness(stringify(raw));
    const slackAda: Actor = { id: 'U0ADA', name: 'ada', platform: 'slack' };
    const result = await h.type(h.chat('slack'), slackAda, 'scale maestro-orchestrator --env prod', { platform: 'slack', id: 'C0PAGER', name: 'maestro-pager' });
    expect(result.kind).toBe('needs_confirmation');
  });
});
