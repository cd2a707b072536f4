import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { directoryLookups } from '../../src/app/channel-directories.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { rolesOf } from '../../src/config/policy.js';
import type { Actor, Conversation } from '../../src/core/request.js';
import { ConversationStore, channelDirectoryOf } from '../../src/platforms/teams/conversations.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { lastEphemeral, PolicyHarness } from './support.js';

/**
 * Roles by team: `policy.roles.<role>.teams.teams` matches the team the request came from
 * (channelData.team.id, `19:…@thread.tacv2`) or that team's AAD group id, which Teams sends
 * only with team events (channelData.team.aadGroupId of installationUpdate / conversationUpdate:
 * learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events).
 * A whole tenant holds a role only through the separate `tenants` key.
 */

const TENANT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const OTHER_TENANT = '3c9e1f2a-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const SRE_TEAM = '19:maestro-sre-placeholder@thread.tacv2';
const OPS_TEAM = '19:5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b@thread.tacv2';
const OPS_GROUP = 'd2c4e6f8-1a3b-4c5d-8e9f-a0b1c2d3e4f5';
const INCIDENTS = '19:4b3fd8c2a7e14f0f9c1d2e3f4a5b6c7d@thread.tacv2';

const shipped = readFileSync('config/catalog.yaml', 'utf8');
const catalog = parseCatalog(shipped, 'catalog.yaml');
const ada: Actor = { id: '0b7a4c52-9f3e-4d8a-b1c6-2e5f7a9d3c10', name: 'ada', platform: 'teams' };
const bob: Actor = { id: '6d1e8f30-2a4b-4c5d-9e7f-8a1b2c3d4e5f', name: 'bob', platform: 'teams' };

/** The General channel of a team has the team's own id (channelData.channel.id = channelData.team.id). */
function inTeam(teamId: string, tenantId = TENANT): Conversation {
  return { platform: 'teams', id: teamId, teamId, tenantId };
}

/** The shipped catalog with `role`'s Teams `key` (teams or tenants) set to `ids`. */
function catalogWith(role: string, key: 'teams' | 'tenants', ids: string[]) {
  const raw = parse(shipped);
  raw.policy.roles[role].teams[key] = ids;
  return parseCatalog(stringify(raw), 'catalog.yaml');
}

describe('Teams roles by team and tenant', () => {
  it("grants sre to whoever speaks in the shipped catalog's sre team", () => {
    expect(rolesOf(catalog.policy, ada, [], inTeam(SRE_TEAM))).toEqual(['sre']);
  });

  it('grants no role in a team the catalog does not list', () => {
    expect(rolesOf(catalog.policy, ada, [], inTeam(OPS_TEAM))).toEqual([]);
  });

  it("grants a role listed by the team's AAD group id when the directory knows the team's group", () => {
    const byGroup = catalogWith('oncall', 'teams', [OPS_GROUP]);
    expect(rolesOf(byGroup.policy, ada, [], inTeam(OPS_TEAM), [OPS_GROUP])).toEqual(['oncall']);
    expect(rolesOf(byGroup.policy, ada, [], inTeam(OPS_TEAM), [])).toEqual([]);
  });

  it('grants nothing for a tenant id listed under teams', () => {
    const mistaken = catalogWith('oncall', 'teams', [TENANT]);
    expect(rolesOf(mistaken.policy, ada, [], inTeam(OPS_TEAM))).toEqual([]);
  });

  it('grants a role to everyone in a tenant listed under tenants, and to no one in another', () => {
    const tenantWide = catalogWith('developers', 'tenants', [TENANT.toUpperCase()]);
    expect(rolesOf(tenantWide.policy, ada, [], inTeam(OPS_TEAM))).toEqual(['developers']);
    expect(rolesOf(tenantWide.policy, ada, [], inTeam(OPS_TEAM, OTHER_TENANT))).toEqual([]);
  });

  it('grants no Teams role for a team id seen on another platform', () => {
    const slackCommand: Conversation = { platform: 'slack', id: 'C0PAGER', name: 'maestro-pager', teamId: SRE_TEAM };
    expect(rolesOf(catalog.policy, ada, [], slackCommand)).toEqual([]);
  });
});

describe("Teams roles by the team's AAD group id, through the command path", () => {
  const redis = testRedis();
  const prefix = testPrefix('teams-roles');
  const store = new ConversationStore(redis, prefix);
  const byGroup = catalogWith('sre', 'teams', [OPS_GROUP]);
  let h: PolicyHarness;

  beforeAll(async () => {
    h = new PolicyHarness('teams-roles', { catalog: byGroup, directory: directoryLookups(new Map([['teams', channelDirectoryOf(store)]])) });
  });
  afterAll(async () => {
    await h.close();
    await cleanPrefix(redis, prefix);
    await redis.quit();
  });

  it('refuses a change while the team is known by its thread id only', async () => {
    const chat = h.chat('teams');
    await h.type(chat, ada, 'scale maestro-orchestrator --env dev', inTeam(OPS_TEAM));
    expect(lastEphemeral(chat)).toContain('denied by rule unknown-users-read-only');
  });

  it('lets a member change dev once an install event told the group id', async () => {
    await store.rememberTeam(OPS_TEAM, { aadGroupId: OPS_GROUP, name: 'Maestro Ops' });
    const result = await h.type(h.chat('teams'), ada, 'scale maestro-orchestrator --env dev', inTeam(OPS_TEAM));
    expect(result.kind).toBe('queued');
  });

  it("lets a second member of the team approve a prod rollback by the team's group id", async () => {
    await store.rememberTeam(OPS_TEAM, { aadGroupId: OPS_GROUP });
    await store.remember(
      { channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/emea/', conversation: { id: INCIDENTS, conversationType: 'channel', tenantId: TENANT, isGroup: true, name: '' } },
      ['Maestro Incidents'],
    );
    const incidents: Conversation = { platform: 'teams', id: INCIDENTS, teamId: OPS_TEAM, tenantId: TENANT };
    const chat = h.chat('teams');
    const requested = await h.type(chat, ada, 'rollback maestro-orchestrator --env prod --reason "v2.8 errors"', incidents);
    expect(requested.kind).toBe('awaiting_approval');
    const approvalId = (requested as Extract<typeof requested, { kind: 'awaiting_approval' }>).approvalId;
    const approved = await h.press(chat, bob, 'approval.approve', approvalId, incidents);
    expect(approved.kind).toBe('queued');
    expect(h.jobs.submitted.filter((s) => s.key === approvalId)).toHaveLength(1);
  });
});
