import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { sandboxEndpoints } from '../../src/verification/ports.js';
import { admin } from '../../src/verbs/admin/admin.js';
import { adminRun, type AdminRunArgs, type AdminRunPorts } from '../../src/verbs/admin/admin-run.js';
import { cacheWarm } from '../../src/verbs/cache-warm/cache-warm.js';
import { catalog, noProgress, verbContext } from './support/context.js';
import { type FakeService, startFakeService } from './support/fake-service.js';

const args = (given: Partial<AdminRunArgs> & { action: string }) => adminRun.args.parse({ service: 'victor-coordinators', ...given });

async function planAndRun(ports: AdminRunPorts, given: Partial<AdminRunArgs> & { action: string }) {
  const ctx = verbContext(ports);
  const plan = await adminRun.plan!(ctx, args(given));
  return { plan, result: await adminRun.execute(ctx, args(given), noProgress, plan) };
}

describe('admin run against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ catalog, rolloutIntervalMs: 20 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const ports = () => ({ endpoints: sandboxEndpoints(sandbox) });
  const detailed = async () => (await admin.execute(verbContext(ports()), admin.args.parse({ service: 'victor-coordinators', read: 'health-detailed' }), noProgress)).message;

  it('plans restart-provider as a POST to the declared endpoint, naming the namespace', async () => {
    const plan = await adminRun.plan!(verbContext(ports()), args({ action: 'restart-provider', provider: 'anthropic' }));
    expect(plan.summary).toBe('restart-provider --provider anthropic on victor-coordinators in prod (namespace intelgraph-prod): POST /admin/providers/restart');
    expect(plan.target).toEqual({ service: 'victor-coordinators', env: 'prod', namespace: 'intelgraph-prod', resource: 'admin/admin/providers/restart' });
    expect(plan.data.url).toBe(`${sandbox.adminUrl('intelgraph-prod', 'victor-coordinators')}/admin/providers/restart`);
    expect(plan.data.body).toEqual({ provider: 'anthropic' });
  });

  it('restarts the provider connection through the admin API and says what the service did', async () => {
    const { result } = await planAndRun(ports(), { action: 'restart-provider', provider: 'anthropic' });
    expect(result.outcome).toBe('done');
    expect(result.message.title).toBe('Ran restart-provider on victor-coordinators in prod');
    expect(result.message.text).toBe('restarted the anthropic provider connection');
  });

  it('clears the cache, leaving it cold again after a warm-up', async () => {
    const warmCtx = { ...verbContext({ ...ports(), cacheWarmPollMs: 10 }) };
    await cacheWarm.execute(warmCtx, cacheWarm.args.parse({ service: 'victor-coordinators' }), noProgress);
    expect((await detailed()).fields).toContainEqual({ label: 'cache', value: 'ok' });
    const { result } = await planAndRun(ports(), { action: 'clear-cache' });
    expect(result.message.text).toBe('cleared the cache of all coordinators');
    expect((await detailed()).fields).toContainEqual({ label: 'cache', value: 'cold' });
  });

  it('refuses an action without the parameter it requires, naming the allowed values', async () => {
    await expect(adminRun.plan!(verbContext(ports()), args({ action: 'restart-provider' }))).rejects.toThrow(
      'restart-provider on victor-coordinators needs --provider (one of: anthropic)',
    );
  });

  it('refuses a value the declaration does not allow', async () => {
    await expect(adminRun.plan!(verbContext(ports()), args({ action: 'restart-provider', provider: 'openai' }))).rejects.toThrow(
      "--provider 'openai' is not one restart-provider on victor-coordinators accepts (allowed: anthropic)",
    );
  });

  it('refuses a parameter the action does not take', async () => {
    await expect(adminRun.plan!(verbContext(ports()), args({ action: 'clear-cache', provider: 'anthropic' }))).rejects.toThrow(
      'clear-cache on victor-coordinators takes no --provider (it takes --coordinator)',
    );
  });

  it('refuses an unknown action, listing the declared ones', async () => {
    await expect(adminRun.plan!(verbContext(ports()), args({ action: 'rollback' }))).rejects.toThrow(
      "unknown admin action 'rollback' for victor-coordinators (declared: restart-provider, clear-cache)",
    );
  });

  it('refuses a service with no admin actions, naming those that have some', async () => {
    await expect(adminRun.plan!(verbContext(ports()), args({ service: 'maestro-orchestrator', action: 'clear-cache' }))).rejects.toThrow(
      'maestro-orchestrator has no admin actions in the catalog (services that have some: victor-coordinators)',
    );
  });
});

describe('admin run against a service that misbehaves', () => {
  let fake: FakeService;
  beforeAll(async () => {
    fake = await startFakeService();
  });
  afterAll(async () => {
    await fake.close();
  });
  const ports = () => ({ endpoints: fake.endpoints, serviceTimeoutMs: 300 });

  it('sends the plan\'s idempotency key, so a retried job repeats the same request', async () => {
    fake.answer('/admin/cache/clear', { status: 200, body: '{"status":"cleared"}' });
    const ctx = verbContext(ports());
    const plan = await adminRun.plan!(ctx, args({ action: 'clear-cache', coordinator: 'ChatCoordinator' }));
    await adminRun.execute(ctx, args({ action: 'clear-cache', coordinator: 'ChatCoordinator' }), noProgress, plan);
    await adminRun.execute(ctx, args({ action: 'clear-cache', coordinator: 'ChatCoordinator' }), noProgress, plan);
    const sent = fake.received.filter((r) => r.path === '/admin/cache/clear');
    expect(sent.map((r) => [r.method, r.body, r.headers['idempotency-key']])).toEqual([
      ['POST', '{"coordinator":"ChatCoordinator"}', plan.data.key],
      ['POST', '{"coordinator":"ChatCoordinator"}', plan.data.key],
    ]);
  });

  it('is refused, not failed, when the service declines the request (4xx): nothing ran', async () => {
    fake.answer('/admin/providers/restart', { status: 409, body: '{"error":"a restart is already in progress"}' });
    const { result } = await planAndRun(ports(), { action: 'restart-provider', provider: 'anthropic' });
    expect(result.outcome).toBe('refused');
    expect(result.message.title).toBe('restart-provider on victor-coordinators in prod was refused: HTTP 409: a restart is already in progress');
  });

  it('fails with the error the body gives when the service answers 500', async () => {
    fake.answer('/admin/providers/restart', { status: 500, body: '{"error":"provider pool crashed"}' });
    const { result } = await planAndRun(ports(), { action: 'restart-provider', provider: 'anthropic' });
    expect(result.outcome).toBe('failed');
    expect(result.message.title).toBe('restart-provider on victor-coordinators in prod failed: HTTP 500: provider pool crashed');
  });

  it('hides a secret the service echoes in its error', async () => {
    fake.answer('/admin/providers/restart', { status: 502, body: '{"error":"upstream said: invalid x-api-key: sk-ant-api03-abcdefghijklmnopqrstuv"}' });
    const { result } = await planAndRun(ports(), { action: 'restart-provider', provider: 'anthropic' });
    expect(result.message.title).not.toContain('abcdefghijklmnopqrstuv');
    expect(result.message.title).toContain('[redacted]');
  });

  it('fails saying it may or may not have run when the service does not answer in time', async () => {
    fake.answer('/admin/providers/restart', 'hang');
    const { result } = await planAndRun(ports(), { action: 'restart-provider', provider: 'anthropic' });
    expect(result.outcome).toBe('failed');
    expect(result.message.title).toBe('restart-provider on victor-coordinators in prod: the admin API timed out after 300 ms');
    expect(result.message.text).toMatch(/^It may or may not have run\./);
  });

  it('counts a 2xx whose body is not JSON as done: the service said it ran', async () => {
    fake.answer('/admin/cache/clear', { status: 204, body: '' });
    const { result } = await planAndRun(ports(), { action: 'clear-cache' });
    expect(result.outcome).toBe('done');
    expect(result.message.fields?.[0]?.value).toMatch(/^HTTP 204 in \d+ ms$/);
  });
});
