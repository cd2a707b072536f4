import { waitFor as waitUntil } from '../support/wait-for.js';
import { resolve } from 'node:path';
import { ApiException, AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { loadCatalog } from '../../src/config/catalog.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';

export const catalog = loadCatalog(resolve(import.meta.dirname, '../../config/catalog.yaml'));
export const PROD = 'intelgraph-prod';
export const MAESTRO = 'maestro-orchestrator';
export const IMAGE = (tag: string) => `ghcr.io/intelgraph/maestro-orchestrator:${tag}`;

export interface TestCluster {
  sandbox: Sandbox;
  apps: AppsV1Api;
  core: CoreV1Api;
}

/** A sandbox of its own on port 0 with a fast pace; close it in afterEach. */
export async function startTestCluster(options: Partial<SandboxOptions> = {}): Promise<TestCluster> {
  const sandbox = await startSandbox({ catalog, rolloutIntervalMs: 20, ...options });
  const kc = sandbox.kubeConfig();
  return { sandbox, apps: kc.makeApiClient(AppsV1Api), core: kc.makeApiClient(CoreV1Api) };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  return waitUntil(probe, { what, timeoutMs, everyMs: 25 });
}

/** The same completeness test `kubectl rollout status` applies. */
export function rolledOut(d: V1Deployment): boolean {
  const s = d.status ?? {};
  return (
    (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    (s.updatedReplicas ?? 0) === d.spec?.replicas &&
    (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0)
  );
}

export async function waitForRollout(apps: AppsV1Api, name = MAESTRO, namespace = PROD): Promise<V1Deployment> {
  return waitFor(async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace });
    return rolledOut(d) ? d : undefined;
  }, `rollout of ${namespace}/${name}`);
}

/** The Status body of a failed client-node call. */
export async function statusOf(call: Promise<unknown>): Promise<{ code: number; reason: string; message: string; kind: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      return { ...body, code: error.code };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  return Number(obj.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}
