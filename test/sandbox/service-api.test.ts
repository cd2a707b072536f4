import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { catalog } from './support.js';

/** The service side the sandbox serves under each deployment's admin URL, as the catalog declares it. */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ catalog, rolloutIntervalMs: 50 });
});
afterAll(async () => {
  await sandbox.close();
});

const victor = (path: string) => `${sandbox.adminUrl('intelgraph-prod', 'victor-coordinators')}${path}`;
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the sandbox service API', () => {
  it("serves the catalog's health probes; a faulty release fails /health but is live and ready", async () => {
    const orchestrator = sandbox.adminUrl('intelgraph-prod', 'maestro-orchestrator');
    const health = await fetch(`${orchestrator}/v1/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unhealthy', reason: '2 of 2 ready pods failing requests' });
    expect((await fetch(victor('/health/live'))).status).toBe(200);
    expect((await fetch(victor('/health/ready'))).status).toBe(200);
  });

  it('answers 404 for a path the catalog does not declare for the deployment', async () => {
    const response = await fetch(victor('/admin/shell'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no admin endpoint /admin/shell on intelgraph-prod/victor-coordinators' });
  });

  it('answers 405 to a GET of an action and a POST to a read', async () => {
    expect((await fetch(victor('/admin/providers/restart'))).status).toBe(405);
    expect((await post(victor('/health/detailed'), {})).status).toBe(405);
  });

  it('refuses an action body with a value the declaration does not allow (400), and one that is not JSON', async () => {
    const bad = await post(victor('/admin/providers/restart'), { provider: 'openai' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "unknown provider 'openai' (known: anthropic)" });
    const garbage = await fetch(victor('/admin/providers/restart'), { method: 'POST', body: '{not json' });
    expect(garbage.status).toBe(400);
  });

  it('answers a repeated Idempotency-Key with the first answer instead of running the action again', async () => {
    const first = await (await post(victor('/admin/providers/restart'), { provider: 'anthropic' }, { 'idempotency-key': 'k-1' })).json();
    const detailed = async () => ((await (await fetch(victor('/health/detailed'))).json()) as { provider: { restarted_at?: string } }).provider.restarted_at;
    const restartedAt = await detailed();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await (await post(victor('/admin/providers/restart'), { provider: 'anthropic' }, { 'idempotency-key': 'k-1' })).json();
    expect(again).toEqual(first);
    expect(await detailed()).toBe(restartedAt);
  });

  it("shows the orchestrator's failed orchestrations while the faulty release v2.8.0 serves", async () => {
    const prod = (await (await fetch(`${sandbox.adminUrl('intelgraph-prod', 'maestro-orchestrator')}/v1/orchestrations?status=failed&limit=10`)).json()) as { data: unknown[] };
    expect(prod.data).toHaveLength(3);
  });
});
