import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatuspageClient } from '../../src/clients/statuspage.js';
import { StatuspageLinks, type StatuspagePorts, statuspageOpen, statuspageResolve, statuspageUpdate } from '../../src/verbs/statuspage/statuspage.js';
import { status } from '../../src/verbs/status/status.js';
import type { ActionContext } from '../../src/core/action.js';
import { UserError } from '../../src/core/errors.js';
import { actionContext } from '../actions/context.js';
import { seededCluster } from '../actions/seed.js';
import { FakeStatuspage } from '../fakes/statuspage.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
let prefix: string;
let fake: FakeStatuspage;
let ctx: ActionContext<StatuspagePorts>;
const noProgress = async () => {};

beforeEach(async () => {
  prefix = testPrefix('statuspage');
  fake = await new FakeStatuspage().start();
  const base = actionContext(seededCluster());
  ctx = {
    ...base,
    ports: {
      statuspage: new StatuspageClient({ pageId: fake.pageId, apiKey: fake.apiKey, baseUrl: fake.url, backoffMs: 5 }),
      statuspageLinks: new StatuspageLinks(redis, prefix),
    },
  };
});
afterEach(async () => {
  await fake.stop();
  await cleanPrefix(redis, prefix);
});

afterAll(async () => {
  await redis.quit();
});

async function open(args: Parameters<typeof statuspageOpen.args.parse>[0]) {
  const parsed = statuspageOpen.args.parse(args);
  return statuspageOpen.execute(ctx, parsed, noProgress, await statuspageOpen.plan!(ctx, parsed));
}

describe('statuspage open → update → resolve', () => {
  it('opens an incident with name, status, body, impact and the component status, with the OAuth header', async () => {
    await open({ service: 'maestro-orchestrator', impact: 'major' });
    const call = fake.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', path: '/v1/pages/page123/incidents', status: 201 });
    expect(call.headers.authorization).toBe('OAuth sp-key');
    expect(call.body.incident).toEqual({
      name: 'Maestro orchestration: degraded service',
      status: 'investigating',
      body: 'We are investigating elevated errors in Maestro orchestration.',
      impact_override: 'major',
      component_ids: ['maestro-orchestration'],
      components: { 'maestro-orchestration': 'partial_outage' },
    });
  });

  it('updates and resolves it, setting the component back to operational', async () => {
    await open({ service: 'maestro-orchestrator', impact: 'major' });
    const update = statuspageUpdate.args.parse({ incident: 'inc1', status: 'monitoring' });
    const updated = (await statuspageUpdate.execute(ctx, update, noProgress, await statuspageUpdate.plan!(ctx, update))).message;
    expect(updated.title).toBe('Status page incident inc1 updated: monitoring');
    const resolve = statuspageResolve.args.parse({ incident: 'inc1' });
    await statuspageResolve.execute(ctx, resolve, noProgress, await statuspageResolve.plan!(ctx, resolve));
    expect(fake.calls.map((c) => [c.method, c.body.incident?.status, c.body.incident?.components])).toEqual([
      ['POST', 'investigating', { 'maestro-orchestration': 'partial_outage' }],
      ['PATCH', 'monitoring', { 'maestro-orchestration': 'partial_outage' }],
      ['PATCH', 'resolved', { 'maestro-orchestration': 'operational' }],
    ]);
    expect(fake.incidents.get('inc1')).toMatchObject({ status: 'resolved', components: [{ id: 'maestro-orchestration', status: 'operational' }] });
    expect(fake.calls.every((c) => c.headers.authorization === 'OAuth sp-key')).toBe(true);
  });

  it('links the incident to the service and env so status shows it, until it is resolved', async () => {
    await open({ service: 'maestro-orchestrator' });
    const statusCtx = { ...actionContext(seededCluster()), ports: { kubernetes: seededCluster(), statuspageLinks: ctx.ports.statuspageLinks } };
    const shown = (await status.execute(statusCtx, { service: 'maestro-orchestrator' }, noProgress)).message;
    expect(shown.fields).toContainEqual({ label: 'Status page', value: 'incident inc1 (investigating) https://stspg.io/inc1' });
    const resolve = statuspageResolve.args.parse({ incident: 'inc1' });
    await statuspageResolve.execute(ctx, resolve, noProgress, await statuspageResolve.plan!(ctx, resolve));
    expect(await ctx.ports.statuspageLinks.current('maestro-orchestrator', 'prod')).toBeUndefined();
  });

  it('retries a rate-limited request (420, then 429) and succeeds', async () => {
    fake.rateLimitNext(420);
    fake.rateLimitNext(429);
    await open({ service: 'maestro-orchestrator' });
    expect(fake.calls.map((c) => c.status)).toEqual([420, 429, 201]);
  });

  it('refuses a second incident for the same service and env, naming the open one', async () => {
    await open({ service: 'maestro-orchestrator' });
    await expect(open({ service: 'maestro-orchestrator' })).rejects.toThrow(
      'status page incident inc1 is already open for maestro-orchestrator in prod: statuspage update inc1 --status ...',
    );
  });

  it('refuses a service with no status page component, listing those that have one', async () => {
    await expect(open({ service: 'maestro-premium-router' })).rejects.toThrow(
      'maestro-premium-router has no status page component in the catalog (services that have one: maestro-orchestrator, notification-agent, victor-coordinators)',
    );
  });

  it('says how to configure it when the page id or key is missing', async () => {
    const unconfigured = { ...ctx, ports: { statuspageLinks: ctx.ports.statuspageLinks } };
    const parsed = statuspageOpen.args.parse({ service: 'maestro-orchestrator' });
    await expect(statuspageOpen.execute(unconfigured, parsed, noProgress)).rejects.toThrow(/set STATUSPAGE_PAGE_ID and STATUSPAGE_API_KEY/);
  });

  it('refuses to plan an incident when the status page is not configured, before anyone is asked to confirm', async () => {
    const unconfigured = { ...ctx, ports: { statuspageLinks: ctx.ports.statuspageLinks } };
    const parsed = statuspageOpen.args.parse({ service: 'maestro-orchestrator' });
    const error = await statuspageOpen.plan!(unconfigured, parsed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'the status page is not configured (set STATUSPAGE_PAGE_ID and STATUSPAGE_API_KEY); runbook 000: update it by hand meanwhile',
    );
    expect(fake.calls).toEqual([]);
  });

  it('refuses to plan an update or resolve when the status page is not configured, whatever the incident', async () => {
    const unconfigured = { ...ctx, ports: { statuspageLinks: ctx.ports.statuspageLinks } };
    await expect(statuspageUpdate.plan!(unconfigured, statuspageUpdate.args.parse({ incident: 'p0abc', status: 'monitoring' }))).rejects.toThrow(
      /^the status page is not configured/,
    );
    await expect(statuspageResolve.plan!(unconfigured, statuspageResolve.args.parse({ incident: 'p0abc' }))).rejects.toThrow(/^the status page is not configured/);
  });

  it('refuses to update an incident the bot did not open', async () => {
    const update = statuspageUpdate.args.parse({ incident: 'nope', status: 'monitoring' });
    await expect(statuspageUpdate.plan!(ctx, update)).rejects.toThrow(/'nope' was not opened by maestro-bot/);
  });
});
