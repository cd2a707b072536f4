import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PagerDutyClient } from '../../src/clients/pagerduty.js';
import type { ActionContext } from '../../src/core/action.js';
import { UserError } from '../../src/core/errors.js';
import { incidentIdFor } from '../../src/incidents/incident.js';
import { IncidentCards } from '../../src/incidents/incident-cards.js';
import { IncidentLookups } from '../../src/incidents/incident-lookups.js';
import { IncidentPager } from '../../src/incidents/incident-pager.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { type PageArgs, type PagePorts, page } from '../../src/verbs/page/page.js';
import { catalog } from '../actions/context.js';
import { type AlertHarness, pagedIncident, startAlertHarness } from '../alerts/support/harness.js';
import { FakePagerDuty } from '../fakes/pagerduty.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

/**
 * `page --level` and per-environment routing, through the real pager and pdjs
 * against the fake PagerDuty: Events v2 to page, REST `PUT /incidents/{id}` with
 * `escalation_level` to escalate (developer.pagerduty.com, "Update an incident").
 */
const KEYS = { PAGERDUTY_ROUTING_KEY_MAESTRO: 'rk-maestro-prod', PAGERDUTY_ROUTING_KEY_MAESTRO_STAGING: 'rk-maestro-staging' };

let pd: FakePagerDuty;
let redis: Redis;
const prefix = testPrefix('page-level');

function pagerWith(options: { rest?: boolean; keys?: Record<string, string> } = {}): IncidentPager {
  const pagerduty = new PagerDutyClient({
    ...(options.rest === false ? {} : { apiToken: 'pd-test-token', fromEmail: 'maestro-bot@example.com' }),
    apiUrl: pd.url,
    eventsHost: pd.eventsHost,
    ...(pd.eventsAgent ? { eventsAgent: pd.eventsAgent } : {}),
  });
  const lookups: IncidentLookups = new IncidentLookups(redis, prefix, (id) => store.get(id));
  const store = new IncidentStore(redis, prefix, catalog, lookups);
  return new IncidentPager({
    catalog,
    pagerduty,
    routingKeys: options.keys ?? KEYS,
    store,
    lookups,
    cards: new IncidentCards(redis, prefix, lookups),
    changed: async () => {},
    threadLink: () => undefined,
    log: pino({ level: 'silent' }),
  });
}

function context(pager: IncidentPager, env = 'prod', requestId = `req-${Math.random().toString(36).slice(2)}`): ActionContext<PagePorts> {
  return {
    requestId,
    actor: { id: 'U1', name: 'alice', platform: 'slack' },
    conversation: { platform: 'slack', id: 'C1', name: '#maestro-pager' },
    env,
    catalog,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    ports: { pager },
  };
}

async function run(ctx: ActionContext<PagePorts>, args: PageArgs) {
  const plan = await page.plan!(ctx, args);
  const result = await page.execute(ctx, args, async () => {}, plan);
  return { plan, result };
}

const summary = 'still failing after the rollback';

beforeAll(async () => {
  pd = await new FakePagerDuty().start();
  redis = testRedis();
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
  await pd.stop();
});
beforeEach(() => pd.reset());

describe('page --level', () => {
  it('pages, then moves the incident it opened to level 2 of its escalation policy', async () => {
    const { plan } = await run(context(pagerWith()), { service: 'maestro-orchestrator', summary, level: 2 });
    const dedupKey = plan.data.dedupKey;
    expect(pd.events.map((e) => e.body.dedup_key)).toEqual([dedupKey]);
    const incident = pd.incidents.get(dedupKey)!;
    expect(pd.restCalls('PUT', /^\/incidents\//).map((c) => ({ path: c.path, from: c.headers.from, body: c.body }))).toEqual([
      { path: `/incidents/${incident.id}`, from: 'maestro-bot@example.com', body: { incident: { type: 'incident_reference', escalation_level: 2 } } },
    ]);
    expect(incident.escalationLevel).toBe(2);
  });

  it("names the level's responder from the runbook's escalation matrix in the plan", async () => {
    const plan = await page.plan!(context(pagerWith()), { service: 'maestro-orchestrator', summary, level: 3 });
    expect(plan.summary).toBe(`page the on-call of maestro-orchestrator in prod: "${summary}", escalated to level 3 (Principal Architect, responds within 1h)`);
    expect(plan.changes).toContainEqual({ what: 'escalation', from: 'level 1', to: 'level 3 (Principal Architect, responds within 1h)' });
  });

  it('escalates once however often a retried job runs it', async () => {
    const ctx = context(pagerWith());
    const args = { service: 'maestro-orchestrator', summary, level: 2 };
    const plan = await page.plan!(ctx, args);
    await page.execute(ctx, args, async () => {}, plan);
    await page.execute(ctx, args, async () => {}, plan);
    expect(pd.incidents.size).toBe(1);
    expect([...pd.incidents.values()][0]!.escalationLevel).toBe(2);
  });

  it('without --level sends no REST call at all', async () => {
    await run(context(pagerWith()), { service: 'maestro-orchestrator', summary });
    expect(pd.events).toHaveLength(1);
    expect(pd.rest).toHaveLength(0);
  });

  it.each([
    [1, 'a page reaches level 1 already; --level is 2 or 3'],
    [4, 'the escalation matrix has three levels; --level is 2 or 3'],
  ])('refuses --level %i with a clear error', (level, message) => {
    const parsed = page.args.safeParse({ service: 'maestro-orchestrator', summary, level });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(message);
  });

  it('refuses to escalate without the REST API token and From user, before paging anyone', async () => {
    const error = await page.plan!(context(pagerWith({ rest: false })), { service: 'maestro-orchestrator', summary, level: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('escalating needs the PagerDuty REST API: set PAGERDUTY_API_TOKEN and PAGERDUTY_FROM_EMAIL, or escalate in PagerDuty');
    expect(pd.events).toHaveLength(0);
  });

  it('fails the attempt (for the job to retry) while PagerDuty has not opened the incident yet', async () => {
    const pager = pagerWith();
    await expect(pager.escalate('maestro-page-never-sent', 2)).rejects.toThrow('PagerDuty has no open incident for dedup key maestro-page-never-sent yet');
    expect(pd.restCalls('PUT', /^\/incidents\//)).toHaveLength(0);
  });
});

describe('page routes each environment to its own key', () => {
  it('pages staging on the staging key, never on prod’s', async () => {
    await run(context(pagerWith(), 'staging'), { service: 'maestro-orchestrator', summary });
    expect(pd.events.map((e) => e.body.routing_key)).toEqual(['rk-maestro-staging']);
  });

  it('refuses an env whose key is not set, naming the variable, instead of using another env’s', async () => {
    const pager = pagerWith({ keys: { PAGERDUTY_ROUTING_KEY_MAESTRO: 'rk-maestro-prod' } });
    const error = await page.plan!(context(pager, 'staging'), { service: 'maestro-orchestrator', summary }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('no PagerDuty routing key for maestro-orchestrator in staging: set PAGERDUTY_ROUTING_KEY_MAESTRO_STAGING; nothing was paged');
    expect(pd.events).toHaveLength(0);
  });

  it('refuses an env the catalog gives no routing key, instead of using another service’s', async () => {
    const error = await page.plan!(context(pagerWith(), 'dev'), { service: 'maestro-orchestrator', summary }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'no PagerDuty routing key for maestro-orchestrator in dev: give its dev env a pagerdutyRoutingKeyEnv in the catalog and set that variable; nothing was paged',
    );
  });

  it('refuses a page that names no service (break-glass) rather than picking any configured key', async () => {
    await expect(pagerWith().page('BREAK-GLASS: alice skipped approval', { env: 'prod' })).rejects.toThrow(
      'no PagerDuty routing key for a page that names no service; nothing was paged',
    );
    expect(pd.events).toHaveLength(0);
  });
});

describe('page --incident N --level', () => {
  let h: AlertHarness;
  beforeAll(async () => {
    h = await startAlertHarness('page-level-incident');
  });
  afterAll(async () => {
    await h.close();
  });

  it("escalates the alert's own PagerDuty incident, found by its group's dedup key", async () => {
    const { group, pdId } = await pagedIncident(h);
    const incident = (await h.incidents.store.get(incidentIdFor(group)))!;
    h.pd.rest.length = 0;
    const ctx = { ...context(h.incidents.pager!), ports: { pager: h.incidents.pager! } };
    await run(ctx, { service: 'maestro-orchestrator', summary, incident: incident.number!, level: 3 });
    expect(h.pd.restCalls('PUT', /^\/incidents\//).map((c) => ({ path: c.path, body: c.body }))).toEqual([
      { path: `/incidents/${pdId}`, body: { incident: { type: 'incident_reference', escalation_level: 3 } } },
    ]);
  }, 30_000);
});
