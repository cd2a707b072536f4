import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/config/catalog.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { sandboxEndpoints } from '../../src/verification/ports.js';
import { admin, type AdminPorts } from '../../src/verbs/admin/admin.js';
import { catalog, noProgress, verbContext } from './support/context.js';
import { type FakeService, startFakeService } from './support/fake-service.js';
import { shippedWith } from '../support/catalog-fixtures.js';

const read = (ports: AdminPorts, service: string, name: string, env = 'prod') =>
  admin.execute(verbContext(ports, env), admin.args.parse({ service, read: name }), noProgress);

describe('admin reads against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ catalog, rolloutIntervalMs: 50 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const ports = () => ({ endpoints: sandboxEndpoints(sandbox) });

  it("shows Victor's health/detailed: status, provider, components and each coordinator's cache hit and error rates", async () => {
    const result = await read(ports(), 'victor-coordinators', 'health-detailed');
    // The sandbox starts with a cold cache (runbook 004: Cold Cache after a restart).
    expect(result.message.title).toBe('health-detailed of victor-coordinators in prod: healthy, cache not OK');
    expect(result.message.severity).toBe('warning');
    expect(result.message.fields).toEqual([
      { label: 'status', value: 'healthy' },
      { label: 'provider', value: 'anthropic' },
      { label: 'provider_anthropic', value: 'ok' },
      { label: 'cache', value: 'cold' },
      { label: 'database', value: 'ok' },
    ]);
    expect(result.message.code).toMatch(/^ChatCoordinator\s+cache hit 45%\s+errors 0\.4%$/);
    expect(result.message.footer).toMatch(/^monitored coordinators: ChatCoordinator · GET \/health\/detailed in \d+ ms · namespace intelgraph-prod$/);
  });

  it("lists the orchestrator's failed orchestrations while the faulty release v2.8.0 serves", async () => {
    const result = await read(ports(), 'maestro-orchestrator', 'failed-orchestrations');
    expect(result.message.title).toBe('failed-orchestrations of maestro-orchestrator in prod: 3 failed orchestrations');
    expect(result.message.severity).toBe('warning');
    const lines = result.message.code!.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z {2}orch-maestro-orchestrator-1000 {2}upstream model call failed: 502 Bad Gateway$/);
  });

  it("lists the router's models with their availability, marking those at or below the runbook's 95%", async () => {
    const result = await read(ports(), 'maestro-orchestrator', 'router-models');
    expect(result.message.title).toBe('router-models of maestro-orchestrator in prod: 2 models, 1 at or below 95% availability');
    expect(result.message.code?.split('\n')[1]).toMatch(/^claude-3-opus\s+availability 90% LOW\s+quality 0\.97\s+latency 1800 ms/);
  });

  it('reads validate-config as a check that passed', async () => {
    const result = await read(ports(), 'victor-coordinators', 'validate-config');
    expect(result.message).toMatchObject({ title: 'validate-config of victor-coordinators in prod: passed', severity: 'success' });
  });

  it('reads check-dependencies as a check, one field per dependency checked', async () => {
    const result = await read(ports(), 'victor-coordinators', 'check-dependencies');
    expect(result.message.title).toBe('check-dependencies of victor-coordinators in prod: passed');
    expect(result.message.fields).toEqual([{ label: 'check-dependencies', value: 'ok (victor-coordinators in intelgraph-prod)' }]);
  });

  it('says which checks failed when a check does not pass', async () => {
    const fake = await startFakeService();
    try {
      fake.answer('/admin/config/validate', { status: 200, body: '{"ok":false,"checks":[{"name":"providers.anthropic.timeout","ok":false,"detail":"must be a number"}]}' });
      const result = await read({ endpoints: fake.endpoints }, 'victor-coordinators', 'validate-config');
      expect(result.message).toMatchObject({ title: 'validate-config of victor-coordinators in prod: failed: providers.anthropic.timeout', severity: 'critical' });
      expect(result.message.fields).toEqual([{ label: 'providers.anthropic.timeout', value: 'FAILED (must be a number)' }]);
    } finally {
      await fake.close();
    }
  });

  it('refuses an unknown read, listing the ones the catalog declares for the service', async () => {
    await expect(read(ports(), 'victor-coordinators', 'models')).rejects.toThrow(
      "unknown admin read 'models' for victor-coordinators (declared: health-detailed, validate-config, check-dependencies)",
    );
  });

  it("refuses an env whose catalog entry has no adminUrl, even though the sandbox would answer", async () => {
    const withoutUrl = parseCatalog(shippedWith((raw) => void delete raw.services['victor-coordinators'].envs.dev.adminUrl), 'no-admin-url.yaml');
    const ctx = { ...verbContext(ports(), 'dev'), catalog: withoutUrl };
    await expect(admin.execute(ctx, admin.args.parse({ service: 'victor-coordinators', read: 'health-detailed' }), noProgress)).rejects.toThrow(
      'victor-coordinators in dev has no adminUrl in the catalog; add one to read its health-detailed',
    );
  });

  it('refuses a service that declares no admin reads, naming those that do', async () => {
    await expect(read(ports(), 'notification-agent', 'health-detailed')).rejects.toThrow(
      'notification-agent has no admin reads in the catalog (services that have some: maestro-orchestrator, victor-coordinators)',
    );
  });
});

describe('admin reads against a service that misbehaves', () => {
  let fake: FakeService;
  beforeAll(async () => {
    fake = await startFakeService();
  });
  afterAll(async () => {
    await fake.close();
  });
  const ports = () => ({ endpoints: fake.endpoints, serviceTimeoutMs: 300 });

  it('says a read answered 500, with the error the body gives', async () => {
    fake.answer('/health/detailed', { status: 500, body: '{"error":"coordinator registry unavailable"}' });
    await expect(read(ports(), 'victor-coordinators', 'health-detailed')).rejects.toThrow(
      "victor-coordinators's health-detailed (GET /health/detailed) answered HTTP 500: coordinator registry unavailable",
    );
  });

  it('says a read answered a body that is not JSON', async () => {
    fake.answer('/health/detailed', { status: 200, body: '<html>502 Bad Gateway</html>' });
    await expect(read(ports(), 'victor-coordinators', 'health-detailed')).rejects.toThrow(
      'victor-coordinators\'s health-detailed (GET /health/detailed) answered HTTP 200 with a body that is not JSON (28 bytes, starting "<html>502 Bad Gateway</html>")',
    );
  });

  it('names the first field of an answer that does not have the declared shape', async () => {
    fake.answer('/v1/orchestrations?status=failed&limit=10', { status: 200, body: '{"data":[{"orchestrationId":7}]}' });
    await expect(read(ports(), 'maestro-orchestrator', 'failed-orchestrations')).rejects.toThrow(
      /^maestro-orchestrator's failed-orchestrations \(GET \/v1\/orchestrations\?status=failed&limit=10\) answered JSON that does not fit its declared format 'orchestrations' \(at data\.0\.orchestrationId: /,
    );
  });

  it('says a read that does not answer in time timed out', async () => {
    fake.answer('/v1/router/models', 'hang');
    await expect(read(ports(), 'maestro-orchestrator', 'router-models')).rejects.toThrow(
      "maestro-orchestrator's router-models (GET /v1/router/models) timed out after 300 ms",
    );
  });

  it('says a read of a service nobody listens for could not reach it', async () => {
    const gone = await startFakeService();
    await gone.close();
    await expect(read({ endpoints: gone.endpoints, serviceTimeoutMs: 300 }, 'victor-coordinators', 'health-detailed')).rejects.toThrow(
      "victor-coordinators's health-detailed (GET /health/detailed) could not be reached (ECONNREFUSED)",
    );
  });

  it('hides secrets a service puts in an answer', async () => {
    fake.answer('/health/detailed', {
      status: 200,
      body: JSON.stringify({ status: 'degraded', components: { provider_anthropic: { status: 'failing: Bearer sk-ant-abcdefghijklmnopqrstuvwx rejected' } } }),
    });
    const result = await read(ports(), 'victor-coordinators', 'health-detailed');
    expect(JSON.stringify(result.message)).not.toContain('sk-ant-abcdefghijklmnopqrstuvwx');
    expect(result.message.fields?.find((f) => f.label === 'provider_anthropic')?.value).toBe('failing: Bearer [redacted] rejected');
  });
});
