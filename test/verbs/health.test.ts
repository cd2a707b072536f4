import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { sandboxEndpoints } from '../../src/verification/ports.js';
import { health, type HealthPorts } from '../../src/verbs/health/health.js';
import { catalog, noProgress, verbContext } from './support/context.js';
import { type FakeService, startFakeService } from './support/fake-service.js';

const run = (ports: HealthPorts, service: string, env = 'prod') => health.execute(verbContext(ports, env), health.args.parse({ service }), noProgress);

describe('health against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ catalog, rolloutIntervalMs: 50 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  // Victor's prod healthUrl is its adminUrl's /health: called once, as the `health` probe.
  it("calls Victor's /health, /health/ready and /health/live and reports each with its status and latency", async () => {
    const result = await run({ endpoints: sandboxEndpoints(sandbox) }, 'victor-coordinators');
    expect(result.outcome).toBe('done');
    expect(result.message.title).toBe('victor-coordinators in prod: all 3 health endpoints answer OK');
    expect(result.message.fields?.map((f) => f.label)).toEqual(['health', 'ready', 'live']);
    for (const field of result.message.fields ?? []) expect(field.value).toMatch(/^200 in \d+ ms \(/);
    expect(result.facts?.probes.map((p) => [p.name, p.outcome, p.status])).toEqual([
      ['health', 'ok', 200],
      ['ready', 'ok', 200],
      ['live', 'ok', 200],
    ]);
  });

  it("calls the orchestrator's /v1/health and, beside it, the env's healthUrl that verification checks", async () => {
    const result = await run({ endpoints: sandboxEndpoints(sandbox) }, 'maestro-orchestrator');
    expect(result.facts?.probes.map((p) => p.name)).toEqual(['health', 'healthUrl']);
  });

  it('shows a probe failing with the reason the service gives (prod runs the faulty release v2.8.0)', async () => {
    const result = await run({ endpoints: sandboxEndpoints(sandbox) }, 'maestro-orchestrator');
    expect(result.message.severity).toBe('critical');
    expect(result.message.title).toBe('maestro-orchestrator in prod: health, healthUrl are not OK');
    expect(result.message.fields?.[0]?.value).toMatch(/^503 in \d+ ms \(unhealthy: 2 of 2 ready pods failing requests\)$/);
    expect(result.facts?.probes.map((p) => [p.outcome, p.status])).toEqual([
      ['failing', 503],
      ['failing', 503],
    ]);
  });

  it('calls only the declared probe where the env has no healthUrl (orchestrator in staging)', async () => {
    const result = await run({ endpoints: sandboxEndpoints(sandbox) }, 'maestro-orchestrator', 'staging');
    expect(result.facts?.probes.map((p) => p.name)).toEqual(['health']);
  });

  it("calls the env's healthUrl alone for a service that declares no probes (runbook 002's notification health)", async () => {
    const result = await run({ endpoints: sandboxEndpoints(sandbox) }, 'notification-agent');
    expect(result.facts?.probes).toMatchObject([{ name: 'health', outcome: 'ok', status: 200 }]);
    expect(result.facts?.probes[0]?.url).toBe(sandbox.healthUrl('agents-prod', 'notification-agent'));
  });

  it('refuses a service that has no health endpoint in the env, saying what to add', async () => {
    await expect(run({ endpoints: sandboxEndpoints(sandbox) }, 'maestro-premium-router', 'dev')).rejects.toThrow(
      'maestro-premium-router in dev has no health endpoint in the catalog (give the env a healthUrl, or the service healthProbes and the env an adminUrl)',
    );
  });

  it('refuses an unknown service, naming the known ones', async () => {
    await expect(run({ endpoints: sandboxEndpoints(sandbox) }, 'victor')).rejects.toThrow(/^unknown service 'victor' \(known: maestro-orchestrator, /);
  });
});

describe('health against a service that misbehaves', () => {
  let fake: FakeService;
  beforeAll(async () => {
    fake = await startFakeService();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('reports a probe that does not answer in time as timed out, without waiting on it for the others', async () => {
    fake.answer('/health', { status: 200, body: '{"status":"ok"}' });
    fake.answer('/health/ready', 'hang');
    fake.answer('/health/live', { status: 200, body: '{"status":"ok"}' });
    const started = Date.now();
    const result = await run({ endpoints: fake.endpoints, serviceTimeoutMs: 300 }, 'victor-coordinators');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.message.fields?.find((f) => f.label === 'ready')?.value).toBe('timed out after 300 ms');
    expect(result.facts?.probes.map((p) => p.outcome)).toEqual(['ok', 'timeout', 'ok']);
    expect(result.message.title).toBe('victor-coordinators in prod: ready is not OK');
  });

  it('reports a 500 with the error the body gives', async () => {
    fake.answer('/health', { status: 500, body: '{"error":"database pool exhausted"}' });
    const result = await run({ endpoints: fake.endpoints, serviceTimeoutMs: 300 }, 'victor-coordinators');
    expect(result.message.fields?.find((f) => f.label === 'health')?.value).toMatch(/^500 in \d+ ms \(database pool exhausted\)$/);
    expect(result.facts?.probes[0]).toMatchObject({ outcome: 'failing', status: 500 });
  });

  it('judges a probe by its status alone: a 200 whose body is not JSON is up', async () => {
    fake.answer('/health', { status: 200, body: 'OK' });
    const result = await run({ endpoints: fake.endpoints, serviceTimeoutMs: 300 }, 'victor-coordinators');
    expect(result.message.fields?.find((f) => f.label === 'health')?.value).toMatch(/^200 in \d+ ms$/);
    expect(result.facts?.probes[0]?.outcome).toBe('ok');
  });

  it('reports a service nobody listens for as unreachable', async () => {
    const gone = await startFakeService();
    await gone.close();
    const result = await run({ endpoints: gone.endpoints, serviceTimeoutMs: 300 }, 'victor-coordinators');
    expect(result.facts?.probes.map((p) => p.outcome)).toEqual(['unreachable', 'unreachable', 'unreachable']);
    expect(result.message.fields?.[0]?.value).toBe('unreachable (ECONNREFUSED)');
  });
});
