import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TenantBoundary } from '../../src/platforms/teams/tenant-boundary.js';
import type { SlackTestPorts } from '../fixtures/slack-actions.js';
import { recordingLog } from '../support/recording-log.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { cardAction, channelCommand, TEAM_ID, TENANT_ID } from './support/activities.js';
import { teamsTestConfig } from './support/credentials.js';
import { startTeamsHarness, type TeamsHarness } from './support/harness.js';

const OTHER_TENANT = '7e3b9c2a-1f4d-4a6b-9c8e-5d2f1a0b3c47';

describe('Teams tenant boundary', () => {
  let h: TeamsHarness;
  const ports: SlackTestPorts = { executions: [] };
  beforeAll(async () => {
    h = await startTeamsHarness('tenant-boundary', { ports, tenants: [TENANT_ID] });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.fake.reset();
    h.audit.entries.length = 0;
  });

  it('answers a read-only command from another tenant with nothing, and audits the refusal', async () => {
    const command = channelCommand(h.fake.url, 'logs maestro-orchestrator', { tenantId: OTHER_TENANT });
    const response = await h.send(command);
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.activityCalls()).toHaveLength(0);
    expect(h.audit.entries).toEqual([
      expect.objectContaining({ type: 'decision', decision: 'denied', requestId: command.id, detail: { rule: 'tenant-boundary', tenantId: OTHER_TENANT } }),
    ]);
  });

  it('answers a card press from another tenant with an error invoke response (so Teams does not retry) and runs nothing', async () => {
    const press = cardAction(h.fake.url, { verb: 'plan.confirm', value: 'x', cardId: '1700000000001', tenantId: OTHER_TENANT });
    const response = await h.send(press);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ statusCode: 403, type: 'application/vnd.microsoft.error' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.activityCalls()).toHaveLength(0);
    expect(ports.executions).toHaveLength(0);
    expect(h.audit.entries.map((e) => e.detail?.rule)).toEqual(['tenant-boundary']);
  });

  it('answers the same command from the served tenant, and audits it with the team and the tenant', async () => {
    await h.send(channelCommand(h.fake.url, 'help'));
    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    expect(h.audit.entries.find((e) => e.type === 'command')?.conversation).toMatchObject({ teamId: TEAM_ID, tenantId: TENANT_ID });
  });
});

describe('which tenants a Teams app serves', () => {
  const redis = testRedis();
  const prefix = testPrefix('tenants');
  const log = pino({ level: 'silent' });
  afterAll(async () => {
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  });

  it('serves only MicrosoftAppTenantId for a single-tenant app, whatever the catalog lists', async () => {
    const boundary = new TenantBoundary({ ...teamsTestConfig(), appType: 'SingleTenant', tenantId: TENANT_ID }, [OTHER_TENANT], redis, `${prefix}:single`);
    expect(await boundary.allows(TENANT_ID)).toBe(true);
    expect(await boundary.allows(TENANT_ID.toUpperCase())).toBe(true);
    expect(await boundary.allows(OTHER_TENANT)).toBe(false);
    expect(await boundary.allows(undefined)).toBe(false);
  });

  it('serves the tenant a multi-tenant app was installed in first when the catalog lists none, in every replica', async () => {
    const first = new TenantBoundary(teamsTestConfig(), [], redis, `${prefix}:multi`);
    expect(await first.allows(TENANT_ID)).toBe(false);
    await first.installedIn(TENANT_ID, log);
    await first.installedIn(OTHER_TENANT, log);
    const replica = new TenantBoundary(teamsTestConfig(), [], redis, `${prefix}:multi`);
    expect(await replica.allows(TENANT_ID)).toBe(true);
    expect(await replica.allows(OTHER_TENANT)).toBe(false);
  });

  it("serves the catalog's tenants for a multi-tenant app, and says so at start-up", async () => {
    const recorded = recordingLog('info');
    const boundary = new TenantBoundary(teamsTestConfig(), [TENANT_ID, OTHER_TENANT], redis, `${prefix}:listed`);
    await boundary.describe(recorded.log);
    expect(recorded.lines()).toEqual([expect.objectContaining({ tenants: [TENANT_ID, OTHER_TENANT], source: 'catalog' })]);
    expect(await boundary.allows(OTHER_TENANT)).toBe(true);
    expect(await boundary.allows('11111111-1111-4111-8111-111111111111')).toBe(false);
  });
});
