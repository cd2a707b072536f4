import { pino } from 'pino';
import type { KubernetesPorts } from '../support/kubernetes-verbs.js';
import { type KubernetesClient, kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import type { ActionContext, ProgressReporter } from '../../src/core/action.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { catalog } from '../actions/context.js';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface Harness {
  sb: Sandbox;
  k8s: KubernetesClient;
  ctx: (options?: { env?: string; signal?: AbortSignal }) => ActionContext<KubernetesPorts>;
}

/** A fresh simulated cluster seeded from the catalog, and the real client-node talking to it over HTTP. */
export async function startHarness(): Promise<Harness> {
  const sb = await startSandbox({ catalog, rolloutIntervalMs: 30 });
  const k8s = kubernetesFromConfig(sb.kubeConfig());
  return {
    sb,
    k8s,
    ctx: (options = {}) => ({
      requestId: 'req-it',
      actor: { id: 'U1', name: 'alice', platform: 'slack' },
      conversation: { platform: 'slack', id: 'C1', name: '#maestro-pager' },
      env: options.env ?? 'prod',
      reason: 'error spike after v2.8.0',
      catalog,
      log: pino({ level: 'silent' }),
      signal: options.signal ?? new AbortController().signal,
      ports: { kubernetes: k8s, followPollMs: 20, followTimeoutMs: 20_000 },
    }),
  };
}

export const noProgress: ProgressReporter = async () => {};

export const ORCHESTRATOR = { namespace: 'intelgraph-prod', deployment: 'maestro-orchestrator' };
export const image = (tag: string) => `ghcr.io/intelgraph/maestro-orchestrator:${tag}`;
