import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import {
  KubeConfigNotFound,
  type KubeConfigLocation,
  type KubeConfigSources,
  loadKubeConfig,
  locateKubeConfig,
} from '../clients/kubernetes/kubeconfig-search.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { Sandbox } from '../sandbox/index.js';

/** The cluster the bot changes, and the words that name it in the start-up line and on plan cards. */
export interface Cluster {
  kubeConfig: KubeConfig;
  sandbox: Sandbox | undefined;
  /** 'sandbox', or the kubeconfig context ('inClusterContext' in a pod). */
  name: string;
  server: string;
}

/** Decided before anything starts: the simulated cluster, or where the real one's kubeconfig is. */
export type ClusterChoice = { sandbox: true } | { sandbox: false; location: KubeConfigLocation };

/** No real cluster, and the simulated one was not asked for: start-up stops with this one line. */
export class NoClusterError extends Error {
  override readonly name = 'NoClusterError';
}

export interface ChoiceOptions {
  /** MAESTRO_SANDBOX=1: the simulated cluster even when a kubeconfig exists. */
  forceSandbox: boolean;
  /** The console with no kubeconfig is the newcomer's path, and the only one where the sandbox starts by itself. */
  consoleMode: boolean;
  sources?: KubeConfigSources;
}

/**
 * The sandbox only when asked for, or for the console with no kubeconfig at all: a
 * chat or webhook bot whose service account is not mounted must refuse to start,
 * not roll back a simulation and report success.
 */
export function chooseCluster(options: ChoiceOptions): ClusterChoice {
  if (options.forceSandbox) return { sandbox: true };
  try {
    return { sandbox: false, location: locateKubeConfig(options.sources) };
  } catch (error) {
    if (!(error instanceof KubeConfigNotFound)) throw error;
    if (options.consoleMode && error.absent) return { sandbox: true };
    throw noCluster(error);
  }
}

export async function connectCluster(choice: ClusterChoice, options: { catalog: Catalog; tickMs: number; log: Logger }): Promise<Cluster> {
  if (!choice.sandbox) {
    const found = await loadKubeConfig(choice.location).catch((error: unknown) => {
      throw error instanceof KubeConfigNotFound ? noCluster(error) : error;
    });
    return { kubeConfig: found.kubeConfig, sandbox: undefined, name: found.context, server: found.server };
  }
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ catalog: options.catalog, rolloutIntervalMs: options.tickMs, log: options.log });
  return { kubeConfig: sandbox.kubeConfig(), sandbox, name: 'sandbox', server: sandbox.url };
}

function noCluster(error: KubeConfigNotFound): NoClusterError {
  return new NoClusterError(
    `no Kubernetes cluster to act on: ${error.message}. Mount the service-account token, set KUBECONFIG to a kubeconfig file, or set MAESTRO_SANDBOX=1 to run against the built-in simulated cluster`,
  );
}
