import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigSources {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Prefix of the service account files (tests point it at a temp dir), as loadFromCluster takes it. */
  pathPrefix?: string;
}

export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Where a kubeconfig came from, and the cluster it points at, for the start-up line and plan cards. */
export interface FoundKubeConfig {
  kubeConfig: KubeConfig;
  source: 'in-cluster' | 'KUBECONFIG' | '~/.kube/config';
  context: string;
  server: string;
}

/** No usable cluster: the message names each place that was looked at and what was found there. */
export class KubeConfigNotFound extends Error {
  override readonly name = 'KubeConfigNotFound';
  constructor(
    readonly looked: string[],
    /** True when nothing at all points at a cluster (the newcomer's laptop), false when something is set but broken. */
    readonly absent = false,
  ) {
    super(looked.join('; '));
  }
}

/** Where the kubeconfig is, found without loading the SDK: a refusal must not wait seconds for it. */
export type KubeConfigLocation = { source: 'in-cluster'; pathPrefix: string } | { source: 'KUBECONFIG' | '~/.kube/config'; files: string[] };

/**
 * In-cluster when running in a pod, else $KUBECONFIG, else ~/.kube/config — never the
 * SDK's last resort, localhost:8080. A KUBECONFIG that names no existing file is an
 * error rather than a reason to read ~/.kube/config: a typo must not quietly pick
 * whichever cluster the home directory happens to point at.
 */
export function locateKubeConfig(sources: KubeConfigSources = {}): KubeConfigLocation {
  const env = sources.env ?? process.env;
  const prefix = sources.pathPrefix ?? '';
  const looked: string[] = [];
  if (env.KUBERNETES_SERVICE_HOST) {
    if (existsSync(`${prefix}${SERVICE_ACCOUNT_TOKEN}`)) return { source: 'in-cluster', pathPrefix: prefix };
    looked.push(`KUBERNETES_SERVICE_HOST is set but there is no service-account token at ${SERVICE_ACCOUNT_TOKEN} (is automountServiceAccountToken off?)`);
  } else {
    looked.push(`no in-cluster service-account token (KUBERNETES_SERVICE_HOST is not set)`);
  }
  const named = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (named.length > 0) {
    const files = named.filter((f) => existsSync(f));
    if (files.length === 0) throw new KubeConfigNotFound([...looked, `KUBECONFIG=${env.KUBECONFIG} names no file that exists`]);
    return { source: 'KUBECONFIG', files };
  }
  looked.push('KUBECONFIG is not set');
  const home = join(sources.home ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return { source: '~/.kube/config', files: [home] };
  looked.push(`there is no ${home}`);
  throw new KubeConfigNotFound(looked, !env.KUBERNETES_SERVICE_HOST);
}

/** Loads what locateKubeConfig found; a file that does not parse, or names no cluster, is refused by name. */
export async function loadKubeConfig(location: KubeConfigLocation): Promise<FoundKubeConfig> {
  if (location.source === 'in-cluster') {
    const kc = await emptyKubeConfig();
    kc.loadFromCluster(location.pathPrefix || undefined);
    return described(kc, 'in-cluster');
  }
  return described(await loaded(location.files), location.source);
}

/** locateKubeConfig then loadKubeConfig. */
export async function findKubeConfig(sources: KubeConfigSources = {}): Promise<FoundKubeConfig> {
  return loadKubeConfig(locateKubeConfig(sources));
}

async function emptyKubeConfig(): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  return new KubeConfig();
}

async function loaded(files: string[]): Promise<KubeConfig> {
  const kc = await emptyKubeConfig();
  for (const [i, file] of files.entries()) {
    try {
      if (i === 0) kc.loadFromFile(file);
      else {
        // kubectl merges several KUBECONFIG files, the first one winning.
        const more = await emptyKubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more, true);
      }
    } catch (error) {
      throw new KubeConfigNotFound([`kubeconfig ${file} could not be read: ${(error as Error).message}`]);
    }
  }
  return kc;
}

function described(kc: KubeConfig, source: FoundKubeConfig['source']): FoundKubeConfig {
  const server = kc.getCurrentCluster()?.server;
  if (!server) {
    throw new KubeConfigNotFound([`the kubeconfig from ${source} has no current context with a cluster server (current-context: '${kc.getCurrentContext()}')`]);
  }
  return { kubeConfig: kc, source, context: kc.getCurrentContext(), server };
}
