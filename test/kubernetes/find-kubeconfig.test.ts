import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKubeConfig, KubeConfigNotFound, SERVICE_ACCOUNT_TOKEN } from '../../src/clients/kubernetes/kubeconfig-search.js';

// The kubeconfig file format: https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://k8s.example:6443"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

const emptyHome = () => mkdtempSync(join(tmpdir(), 'home-'));

function kubeconfigFile(text = KUBECONFIG): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kc-')), 'config');
  writeFileSync(file, text);
  return file;
}

async function notFound(run: () => Promise<unknown>): Promise<KubeConfigNotFound> {
  try {
    await run();
  } catch (error) {
    if (error instanceof KubeConfigNotFound) return error;
    throw error;
  }
  throw new Error('expected KubeConfigNotFound');
}

describe('findKubeConfig', () => {
  it('says where it looked, and that nothing at all is set, when there is no token, KUBECONFIG or ~/.kube/config', async () => {
    const home = emptyHome();
    const error = await notFound(() => findKubeConfig({ env: {}, home }));
    expect(error.absent).toBe(true);
    expect(error.message).toBe(
      `no in-cluster service-account token (KUBERNETES_SERVICE_HOST is not set); KUBECONFIG is not set; there is no ${home}/.kube/config`,
    );
  });

  it('loads the file KUBECONFIG names and reports its context and server', async () => {
    const found = await findKubeConfig({ env: { KUBECONFIG: kubeconfigFile() }, home: emptyHome() });
    expect({ source: found.source, context: found.context, server: found.server }).toEqual({
      source: 'KUBECONFIG',
      context: 'x',
      server: 'https://k8s.example:6443',
    });
  });

  it('loads ~/.kube/config when KUBECONFIG is not set', async () => {
    const home = emptyHome();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), KUBECONFIG);
    expect((await findKubeConfig({ env: {}, home })).source).toBe('~/.kube/config');
  });

  it('refuses a KUBECONFIG naming no existing file instead of falling back to ~/.kube/config', async () => {
    const home = emptyHome();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), KUBECONFIG);
    const error = await notFound(() => findKubeConfig({ env: { KUBECONFIG: '/etc/kube/confgi' }, home }));
    expect(error.absent).toBe(false);
    expect(error.message).toContain('KUBECONFIG=/etc/kube/confgi names no file that exists');
  });

  it('names a missing service-account mount when KUBERNETES_SERVICE_HOST says it runs in a pod', async () => {
    const error = await notFound(() =>
      findKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, home: emptyHome(), pathPrefix: emptyHome() }),
    );
    expect(error.absent).toBe(false);
    expect(error.message).toContain(`KUBERNETES_SERVICE_HOST is set but there is no service-account token at ${SERVICE_ACCOUNT_TOKEN}`);
  });

  it('uses the mounted service account in a pod', async () => {
    const root = emptyHome();
    const dir = join(root, '/var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'token'), 'sa-token');
    writeFileSync(join(dir, 'ca.crt'), '');
    writeFileSync(join(dir, 'namespace'), 'maestro');
    const found = await findKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, home: emptyHome(), pathPrefix: root });
    // The SDK reads the service host from process.env itself, so only the source is certain here.
    expect({ source: found.source, context: found.context }).toEqual({ source: 'in-cluster', context: 'inClusterContext' });
  });

  it('refuses a kubeconfig with no current context', async () => {
    const file = kubeconfigFile(KUBECONFIG.replace('current-context: x\n', ''));
    const error = await notFound(() => findKubeConfig({ env: { KUBECONFIG: file }, home: emptyHome() }));
    expect(error.message).toContain('has no current context with a cluster server');
  });

  it('refuses a kubeconfig that is not YAML, naming the file', async () => {
    const file = kubeconfigFile('clusters: [unclosed\n');
    const error = await notFound(() => findKubeConfig({ env: { KUBECONFIG: file }, home: emptyHome() }));
    expect(error.message).toContain(`kubeconfig ${file} could not be read`);
  });
});
