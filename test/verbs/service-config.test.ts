import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { registerSecretValues } from '../../src/core/secret-values.js';
import { serviceConfig } from '../../src/verbs/service-config/service-config.js';
import { PROD, startTestCluster, type TestCluster } from '../sandbox/support.js';
import { noProgress, verbContext } from './support/context.js';
import { findKubectl } from '../support/kubectl-path.js';

let c: TestCluster;
beforeEach(async () => {
  c = await startTestCluster();
});
afterEach(async () => {
  await c.sandbox.close();
});

const show = (service = 'maestro-orchestrator', env = 'prod') =>
  serviceConfig.execute(verbContext({ kubernetes: kubernetesFromConfig(c.sandbox.kubeConfig()) }, env), serviceConfig.args.parse({ service }), noProgress);

async function addKeys(data: Record<string, string>, name = 'maestro-config', namespace = PROD) {
  const cm = await c.core.readNamespacedConfigMap({ name, namespace });
  await c.core.replaceNamespacedConfigMap({ name, namespace, body: { ...cm, data: { ...cm.data, ...data } } });
}

describe('config', () => {
  it("shows the catalog's flags with their current values in the ConfigMap flag patches", async () => {
    const result = await show();
    expect(result.message.title).toBe('Configuration of maestro-orchestrator in prod');
    expect(result.message.fields).toEqual([
      { label: 'CIRCUIT_BREAKER_ENABLED', value: 'false' },
      { label: 'PREMIUM_ROUTING_ENABLED', value: 'true' },
      { label: 'COMPLIANCE_EMERGENCY_OVERRIDE', value: 'false' },
    ]);
    expect(result.message.footer).toBe('ConfigMap maestro-config in intelgraph-prod');
    expect(result.facts).toMatchObject({ configMap: 'maestro-config', namespace: PROD, keys: 3, masked: [] });
  });

  it("reads the env's own ConfigMap (dev's is maestro-production-config, as runbook 001 names it)", async () => {
    const result = await show('maestro-orchestrator', 'dev');
    expect(result.facts).toMatchObject({ configMap: 'maestro-production-config', namespace: 'intelgraph-dev' });
  });

  it('says a flag the ConfigMap does not set is not set', async () => {
    const cm = await c.core.readNamespacedConfigMap({ name: 'maestro-config', namespace: PROD });
    const { COMPLIANCE_EMERGENCY_OVERRIDE: _, ...rest } = cm.data ?? {};
    await c.core.replaceNamespacedConfigMap({ name: 'maestro-config', namespace: PROD, body: { ...cm, data: rest } });
    const result = await show();
    expect(result.message.fields?.[2]).toEqual({ label: 'COMPLIANCE_EMERGENCY_OVERRIDE', value: '(not set)' });
  });

  it('lists the other keys too, hiding values whose keys sound secret and secrets found in values', async () => {
    await addKeys({
      LOG_LEVEL: 'info',
      OPENAI_API_KEY: 'not-a-pattern-but-a-secret-key-name',
      DATABASE_URL: 'postgres://maestro:hunter2hunter2@postgres.intelgraph-core:5432/maestro',
      UPSTREAM_AUTH: 'Bearer abcdefghijklmnop1234',
    });
    const result = await show();
    expect(result.message.code?.split('\n')).toEqual([
      'DATABASE_URL=postgres://maestro:[redacted]@postgres.intelgraph-core:5432/maestro',
      'LOG_LEVEL=info',
      'OPENAI_API_KEY=[redacted]',
      'UPSTREAM_AUTH=Bearer [redacted]',
    ]);
    const text = JSON.stringify(result);
    for (const secret of ['hunter2hunter2', 'not-a-pattern-but-a-secret-key-name', 'abcdefghijklmnop1234']) expect(text).not.toContain(secret);
    expect(result.message.footer).toBe('ConfigMap maestro-config in intelgraph-prod · 3 values hidden as secret');
  });

  it("hides the bot's own credentials wherever they appear in a value", async () => {
    registerSecretValues(['xyzzy-the-bots-own-signing-secret']);
    await addKeys({ NOTIFY_WEBHOOK: 'https://hooks.example/?sig=xyzzy-the-bots-own-signing-secret' });
    const result = await show();
    expect(result.message.code).toBe('NOTIFY_WEBHOOK=https://hooks.example/?sig=[redacted]');
  });

  it('cuts a long listing to one message and says how to see the rest', async () => {
    await addKeys(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`SETTING_${String(i).padStart(3, '0')}`, 'x'.repeat(40)])));
    const result = await show();
    const shown = result.message.code!.split('\n').length;
    expect(shown).toBeLessThan(200);
    expect(result.message.footer).toContain(`${200 - shown} more keys not shown: kubectl -n intelgraph-prod get configmap maestro-config -o yaml`);
  });

  it('refuses a service whose env has no ConfigMap in the catalog', async () => {
    await expect(show('victor-coordinators')).rejects.toThrow('victor-coordinators in prod has no configMap in the catalog, so there is no configuration to show');
  });

  it('says the ConfigMap is missing when the cluster has none by that name', async () => {
    await c.core.deleteNamespacedConfigMap({ name: 'maestro-config', namespace: PROD });
    await expect(show()).rejects.toThrow(/configmap maestro-config/i);
  });
});

const kubectl = findKubectl();

describe.skipIf(!kubectl)('config agrees with kubectl get configmap', () => {
  it('shows the same flag values kubectl reads from the sandbox', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'config-kubectl-'));
    try {
      await c.sandbox.writeKubeconfig(join(dir, 'kubeconfig'));
      const { stdout } = await promisify(execFile)(kubectl!, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), '-n', PROD, 'get', 'configmap', 'maestro-config', '-o', 'json'], { timeout: 30_000 });
      const data = (JSON.parse(stdout) as { data: Record<string, string> }).data;
      const result = await show();
      expect(Object.fromEntries((result.message.fields ?? []).map((f) => [f.label, f.value]))).toEqual(data);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
