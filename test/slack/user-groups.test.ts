import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackUserGroups, type SlackUserGroups } from '../../src/platforms/slack/index.js';
import { catalogSlackGroups } from '../../src/platforms/slack/user-groups.js';
import { loadCatalog } from '../../src/config/catalog.js';
import type { Actor } from '../../src/core/request.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { SHIPPED_CATALOG } from '../support/catalog-fixtures.js';
import { recordingLog } from '../support/recording-log.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { SIGNING_SECRET } from './support/slack-requests.js';

const policy = loadCatalog(SHIPPED_CATALOG).policy;
const redis = testRedis();
let fake: FakeSlackApi;
let prefix: string;
let recorded: ReturnType<typeof recordingLog>;

function groups(options: { ttlMs?: number; refreshMs?: number } = {}): SlackUserGroups {
  return createSlackUserGroups({
    config: { botToken: 'xoxb-groups-test-0000', signingSecret: SIGNING_SECRET, apiUrl: fake.url },
    redis,
    prefix,
    policy,
    log: recorded.log,
    ...options,
  });
}

const slackUser = (id: string): Actor => ({ id, name: id.toLowerCase(), platform: 'slack' });
const listCalls = () => fake.calls.filter((c) => c.method === 'usergroups.users.list');

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
});

beforeEach(() => {
  prefix = testPrefix('slack-groups');
  recorded = recordingLog('warn');
  fake.reset();
  fake.setUserGroup('S0MAESTROSRE', ['U0SRE1', 'U0SRE2']);
  fake.setUserGroup('S0MAESTROONCALL', ['U0ONCALL']);
  fake.setUserGroup('S0MAESTRODEVS', ['U0DEV', 'U0SRE1']);
});

afterEach(async () => {
  await cleanPrefix(redis, prefix);
});

afterAll(async () => {
  await fake.stop();
  await redis.quit();
});

describe('Slack user groups for the policy', () => {
  it('watches exactly the groups the shipped catalog grants roles to', () => {
    expect(catalogSlackGroups(policy).sort()).toEqual(['S0MAESTRODEVS', 'S0MAESTROONCALL', 'S0MAESTROSRE']);
  });

  it('finds every catalog group a user is a member of, asking Slack with the group id and the bot token', async () => {
    expect(await groups().groupsOf(slackUser('U0SRE1'))).toEqual({ groups: expect.arrayContaining(['S0MAESTROSRE', 'S0MAESTRODEVS']) });
    expect(listCalls().map((c) => c.body.usergroup).sort()).toEqual(['S0MAESTRODEVS', 'S0MAESTROONCALL', 'S0MAESTROSRE']);
    expect(listCalls()[0]!.headers.authorization).toBe('Bearer xoxb-groups-test-0000');
  });

  it('finds no group for a user in none of them', async () => {
    expect(await groups().groupsOf(slackUser('U0NOBODY'))).toEqual({ groups: [] });
  });

  it('answers from Redis while the members are fresh, for any replica', async () => {
    await groups().groupsOf(slackUser('U0SRE1'));
    const calls = listCalls().length;
    expect(await groups().groupsOf(slackUser('U0ONCALL'))).toEqual({ groups: ['S0MAESTROONCALL'] });
    expect(listCalls()).toHaveLength(calls);
  });

  it('asks Slack again once the cached members have expired', async () => {
    const resolver = groups({ ttlMs: 100 });
    await resolver.groupsOf(slackUser('U0SRE1'));
    fake.setUserGroup('S0MAESTROSRE', ['U0SRE2']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await resolver.groupsOf(slackUser('U0SRE1'))).groups).not.toContain('S0MAESTROSRE');
  });

  it('sees a membership change through the background refresh, before the cache expires', async () => {
    const resolver = groups({ ttlMs: 60_000, refreshMs: 200 });
    const stop = resolver.start();
    try {
      await fake.waitFor(() => listCalls().length === 3);
      expect((await resolver.groupsOf(slackUser('U0NEW'))).groups).toEqual([]);
      fake.setUserGroup('S0MAESTROSRE', ['U0SRE1', 'U0SRE2', 'U0NEW']);
      await fake.waitFor(() => listCalls().length >= 6, 2000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await resolver.groupsOf(slackUser('U0NEW'))).groups).toEqual(['S0MAESTROSRE']);
    } finally {
      stop();
    }
  });

  it('grants nothing through a group Slack cannot list, says which and why, and logs it', async () => {
    fake.failNext('usergroups.users.list', { status: 200, error: 'missing_scope' }, 3);
    const lookup = await groups().groupsOf(slackUser('U0SRE1'));
    expect(lookup.groups).toEqual([]);
    expect(lookup.failure).toContain('the Slack user-group lookup failed for');
    expect(lookup.failure).toContain('S0MAESTROSRE: missing_scope');
    expect(recorded.lines().some((l) => String(l.msg).includes('Slack user-group lookup failed') && l.userId === 'U0SRE1')).toBe(true);
  });

  it('keeps the groups it could list when another one fails', async () => {
    fake.setUserGroup('S0MAESTRODEVS', []);
    await groups().groupsOf(slackUser('U0ONCALL'));
    await cleanPrefix(redis, `${prefix}:slack:usergroup:S0MAESTROSRE`);
    fake.failNext('usergroups.users.list', { status: 503 }, 2);
    const lookup = await groups().groupsOf(slackUser('U0SRE1'));
    expect(lookup.groups).toEqual([]);
    expect(lookup.failure).toContain('S0MAESTROSRE: http_503');
    expect((await groups().groupsOf(slackUser('U0ONCALL'))).groups).toEqual(['S0MAESTROONCALL']);
  });

  it('keeps serving the cached members when a background refresh fails', async () => {
    const resolver = groups({ refreshMs: 200 });
    await resolver.groupsOf(slackUser('U0SRE1'));
    fake.failNext('usergroups.users.list', { status: 200, error: 'ratelimited' }, 6);
    await resolver.refreshRound();
    expect(await resolver.groupsOf(slackUser('U0SRE1'))).toEqual({ groups: expect.arrayContaining(['S0MAESTROSRE']) });
  });
});
