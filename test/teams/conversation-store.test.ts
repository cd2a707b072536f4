import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore, channelDirectoryOf } from '../../src/platforms/teams/conversations.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

/**
 * The store as the directory from channel names to ids. What it is told comes from the
 * team's channel list at install (`GET v3/teams/{teamId}/conversations`: learn.microsoft.com/
 * microsoftteams/platform/bots/how-to/get-teams-context#get-the-list-of-channels-in-a-team)
 * and from channelCreated / channelRenamed / channelDeleted conversationUpdates
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events).
 */

const TENANT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const TEAM = '19:maestro-sre-placeholder@thread.tacv2';
const INCIDENTS = '19:4b3fd8c2a7e14f0f9c1d2e3f4a5b6c7d@thread.tacv2';
const OTHER_TEAMS_INCIDENTS = '19:9f8e7d6c5b4a39281706f5e4d3c2b1a0@thread.tacv2';

function reference(id: string) {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversation: { id, conversationType: 'channel', tenantId: TENANT, isGroup: true, name: '' },
  };
}

const redis = testRedis();
const prefix = testPrefix('teams-store');
const store = new ConversationStore(redis, prefix);

beforeEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('ConversationStore as a channel directory', () => {
  it("resolves a channel's name to its id, whatever the case, spacing or a leading '#'", async () => {
    await store.remember(reference(INCIDENTS), ['Maestro Incidents']);
    expect(await store.idsNamed('maestro   incidents')).toEqual([INCIDENTS]);
    expect(await store.idsNamed('#Maestro Incidents')).toEqual([INCIDENTS]);
  });

  it('resolves a name two teams both use to both channels', async () => {
    await store.remember(reference(INCIDENTS), ['Maestro Incidents']);
    await store.remember(reference(OTHER_TEAMS_INCIDENTS), ['Maestro Incidents']);
    expect(await store.idsNamed('Maestro Incidents')).toEqual([INCIDENTS, OTHER_TEAMS_INCIDENTS].sort());
  });

  it('drops the old name when a channel is renamed', async () => {
    await store.remember(reference(INCIDENTS), ['Maestro Incidents', 'SRE/Maestro Incidents']);
    await store.remember(reference(INCIDENTS), ['Incidents (old)']);
    expect(await store.idsNamed('Maestro Incidents')).toEqual([]);
    expect(await store.idsNamed('SRE/Maestro Incidents')).toEqual([]);
    expect(await store.idsNamed('Incidents (old)')).toEqual([INCIDENTS]);
  });

  it('keeps the names when a message from the channel, which carries none, is remembered', async () => {
    await store.remember(reference(INCIDENTS), ['Maestro Incidents']);
    await store.remember(reference(`${INCIDENTS};messageid=1700000000000`));
    expect(await store.idsNamed('Maestro Incidents')).toEqual([INCIDENTS]);
  });

  it('forgets a deleted channel: no name resolves to it and it cannot be found', async () => {
    await store.remember(reference(INCIDENTS), ['Maestro Incidents']);
    await store.forget(INCIDENTS);
    expect(await store.idsNamed('Maestro Incidents')).toEqual([]);
    expect(await store.find(INCIDENTS)).toBeUndefined();
    expect(await store.find('Maestro Incidents')).toBeUndefined();
  });

  it('finds a channel by its id, a reply-chain id, or its name', async () => {
    await store.remember(reference(INCIDENTS), ['Maestro Incidents']);
    for (const key of [INCIDENTS, `${INCIDENTS};messageid=1700000000000`, 'maestro incidents']) {
      expect((await store.find(key))?.conversation.id).toBe(INCIDENTS);
    }
  });

  it('still resolves a name an earlier release learned (one id per name) until the channel is learned again', async () => {
    await redis.set(`${prefix}:teams:channel-name:maestro incidents`, INCIDENTS);
    expect(await store.idsNamed('Maestro Incidents')).toEqual([INCIDENTS]);
    await store.remember(reference(OTHER_TEAMS_INCIDENTS), ['Maestro Incidents']);
    expect(await store.idsNamed('Maestro Incidents')).toEqual([OTHER_TEAMS_INCIDENTS]);
  });

  it("resolves a name no channel has to nothing", async () => {
    expect(await store.idsNamed('Maestro Incidents')).toEqual([]);
    expect(await store.idsNamed('   ')).toEqual([]);
  });

  it("learns a team's AAD group id and name, keeping what a later event leaves out", async () => {
    await store.rememberTeam(TEAM, { aadGroupId: 'd2c4e6f8-1a3b-4c5d-8e9f-a0b1c2d3e4f5', name: 'Maestro SRE' });
    await store.rememberTeam(TEAM, { name: 'Maestro SRE (renamed)' });
    expect(await store.teamOf(TEAM)).toEqual({ aadGroupId: 'd2c4e6f8-1a3b-4c5d-8e9f-a0b1c2d3e4f5', name: 'Maestro SRE (renamed)' });
    expect(await channelDirectoryOf(store).teamAliases(TEAM)).toEqual(['d2c4e6f8-1a3b-4c5d-8e9f-a0b1c2d3e4f5']);
  });

  it('knows no alias for a team it has not heard of', async () => {
    expect(await store.teamOf(TEAM)).toBeUndefined();
    expect(await channelDirectoryOf(store).teamAliases(TEAM)).toEqual([]);
  });
});
