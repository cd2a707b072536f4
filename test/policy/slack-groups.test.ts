import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackUserGroups, type SlackUserGroups } from '../../src/platforms/slack/index.js';
import { loadCatalog } from '../../src/config/catalog.js';
import { NO_GROUPS } from '../../src/core/group-lookup.js';
import type { Actor } from '../../src/core/request.js';
import type { CommandResult } from '../../src/pipeline/command.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { SHIPPED_CATALOG } from '../support/catalog-fixtures.js';
import { SIGNING_SECRET } from '../slack/support/slack-requests.js';
import { lastEphemeral, PolicyHarness, pagerChannel } from './support.js';

/**
 * The shipped catalog unchanged: its roles name Slack user groups only, so whatever a
 * Slack user may do comes from usergroups.users.list (the fake Web API).
 */
const catalog = loadCatalog(SHIPPED_CATALOG);
let fake: FakeSlackApi;
let h: PolicyHarness;

const sre1: Actor = { id: 'U0SRE1', name: 'sam', platform: 'slack' };
const sre2: Actor = { id: 'U0SRE2', name: 'sky', platform: 'slack' };
const nobody: Actor = { id: 'U0NOBODY', name: 'nora', platform: 'slack' };

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  let groups: SlackUserGroups | undefined;
  h = new PolicyHarness('slack-groups', {
    catalog,
    groupsOf: async (actor) => (groups ? groups.groupsOf(actor) : NO_GROUPS),
  });
  groups = createSlackUserGroups({
    config: { botToken: 'xoxb-policy-groups-0000', signingSecret: SIGNING_SECRET, apiUrl: fake.url },
    redis: h.redis,
    prefix: h.prefix,
    policy: catalog.policy,
    log: pino({ level: 'silent' }),
    // Every test asks Slack afresh, so that a failure it sets up is the one it meets.
    ttlMs: 1,
  });
});

beforeEach(() => {
  fake.reset();
  fake.setUserGroup('S0MAESTROSRE', [sre1.id, sre2.id]);
  fake.setUserGroup('S0MAESTROONCALL', []);
  fake.setUserGroup('S0MAESTRODEVS', []);
});

afterAll(async () => {
  await h.close();
  await fake.stop();
});

/** One service per test that gets as far as a job: a queued rollback holds its service's lock. */
async function requestRollback(service: string): Promise<string> {
  const result = (await h.type(h.chat('slack'), sre1, `rollback ${service} --env prod`)) as Extract<CommandResult, { kind: 'awaiting_approval' }>;
  expect(result.kind).toBe('awaiting_approval');
  return result.approvalId;
}

describe('roles from Slack user groups, with the shipped catalog', () => {
  it('lets a member of S0MAESTROSRE request a prod rollback, and a second member approve it', async () => {
    const id = await requestRollback('maestro-orchestrator');
    const approved = await h.press(h.chat('slack'), sre2, 'approval.approve', id);
    expect(approved.kind).toBe('queued');
  });

  it('refuses a user in no group any change', async () => {
    const result = await h.type(h.chat('slack'), nobody, 'rollback maestro-orchestrator --env prod');
    expect(result).toMatchObject({ kind: 'failed', error: expect.stringContaining('denied by rule unknown-users-read-only') });
  });

  it('still answers a read-only command when the group lookup fails', async () => {
    fake.failNext('usergroups.users.list', { status: 200, error: 'missing_scope' }, 3);
    const chat = h.chat('slack');
    expect(await h.type(chat, sre1, 'status')).toEqual({ kind: 'answered' });
    expect(chat.posts().map((p) => p.message.title)).toEqual(['all fine']);
  });

  it('grants no group role when the lookup fails, and the denial says the lookup failed', async () => {
    fake.failNext('usergroups.users.list', { status: 200, error: 'missing_scope' }, 3);
    const chat = h.chat('slack');
    const before = h.jobs.submitted.length;
    const result = await h.type(chat, sre1, 'rollback maestro-orchestrator --env prod', pagerChannel('slack'));
    expect(result).toMatchObject({ kind: 'failed', error: expect.stringContaining('denied by rule unknown-users-read-only') });
    expect(lastEphemeral(chat)).toContain('the Slack user-group lookup failed for S0MAESTROSRE: missing_scope');
    expect(h.jobs.submitted).toHaveLength(before);
    expect(chat.posts()).toEqual([]);
  });

  it('refuses an approval whose group lookup failed, saying so, and leaves the request waiting', async () => {
    const id = await requestRollback('maestro-premium-router');
    // ok:false answers are final (the client retries only HTTP failures): one per catalog group.
    fake.failNext('usergroups.users.list', { status: 200, error: 'ratelimited' }, 3);
    const refused = await h.press(h.chat('slack'), sre2, 'approval.approve', id);
    expect(refused).toMatchObject({ kind: 'failed', error: expect.stringContaining('the Slack user-group lookup failed for S0MAESTROSRE: ratelimited') });
    expect(await h.press(h.chat('slack'), sre2, 'approval.approve', id)).toMatchObject({ kind: 'queued' });
  });
});
