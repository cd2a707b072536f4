import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../src/adapters/kubernetes.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://k8s.example:6443"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

describe('loadKubeConfig', () => {
  it('returns undefined when there is no cluster, KUBECONFIG or ~/.kube/config', () => {
    expect(loadKubeConfig({ env: {}, home: mkdtempSync(join(tmpdir(), 'home-')) })).toBeUndefined();
  });

  it('loads the file KUBECONFIG names', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kc-')), 'config');
    writeFileSync(file, KUBECONFIG);
    const kc = loadKubeConfig({ env: { KUBECONFIG: file }, home: mkdtempSync(join(tmpdir(), 'home-')) });
    expect(kc?.getCurrentCluster()?.server).toBe('https://k8s.example:6443');
  });

  it('loads ~/.kube/config when KUBECONFIG is not set', () => {
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), KUBECONFIG);
    expect(loadKubeConfig({ env: {}, home })?.getCurrentContext()).toBe('x');
  });
});
