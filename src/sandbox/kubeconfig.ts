import { writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

export const CONTEXT = 'maestro-sandbox';
/** Any bearer token is accepted; this one just makes the kubeconfig complete. */
export const TOKEN = 'maestro-sandbox-token';
export const DEFAULT_NAMESPACE = 'intelgraph-prod';

export function sandboxKubeConfig(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: CONTEXT, server: url, skipTLSVerify: true }],
    users: [{ name: CONTEXT, token: TOKEN }],
    contexts: [{ name: CONTEXT, cluster: CONTEXT, user: CONTEXT, namespace: DEFAULT_NAMESPACE }],
    currentContext: CONTEXT,
  });
  return kc;
}

/**
 * A kubeconfig kubectl accepts: plain http server, token user, a context defaulting to
 * intelgraph-prod. `insecure-skip-tls-verify` because client-node refuses a plain http
 * server without it, and the bot itself must be able to use this file via KUBECONFIG.
 */
export async function writeKubeconfigFile(url: string, file: string): Promise<void> {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: CONTEXT, user: { token: TOKEN } }],
    contexts: [{ name: CONTEXT, context: { cluster: CONTEXT, user: CONTEXT, namespace: DEFAULT_NAMESPACE } }],
    'current-context': CONTEXT,
    preferences: {},
  };
  await writeFile(file, stringify(doc), { mode: 0o600 });
}
