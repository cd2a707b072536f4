import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubernetesVerbs, type KubernetesPort } from '../support/kubernetes-verbs.js';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import type { ActionContext } from '../../src/core/action.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { QueuedJobData } from '../../src/jobs/job-data.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { nextCommand } from '../../src/verification/next-step.js';
import { ada, catalog, silent } from './harness.js';

let sandbox: Sandbox;
let k8s: KubernetesPort;
beforeAll(async () => {
  sandbox = await startSandbox({ catalog, rolloutIntervalMs: 20, log: silent });
  k8s = kubernetesFromConfig(sandbox.kubeConfig());
});
afterAll(async () => {
  await sandbox.close();
});

const registry = new ActionRegistry([...kubernetesVerbs]);

function context(env: string): ActionContext {
  return { requestId: 'r1', actor: ada, env, catalog, log: silent, signal: new AbortController().signal, ports: { kubernetes: k8s, followPollMs: 20 } };
}

/** Plans `verb` against the sandbox as the handler would: the job data a finished mitigation hands the hook. */
async function planned(verb: string, args: Record<string, unknown>, env = 'prod'): Promise<QueuedJobData> {
  const action = registry.get(verb)!;
  const parsed = action.args.parse(args);
  const plan = await action.plan!(context(env), parsed);
  return { action: verb, args: parsed, plan, env, actor: ada, requestId: 'r1', jobNumber: 1 };
}

/** Runs the planned job to the end, as the worker would. */
async function ran(verb: string, args: Record<string, unknown>, env = 'prod'): Promise<QueuedJobData> {
  const data = await planned(verb, args, env);
  await registry.get(verb)!.execute(context(env), data.args, async () => {}, data.plan);
  return data;
}

describe('the next step offered when a mitigation does not hold', () => {
  it('turns the flag back', async () => {
    const data = await planned('flag', { service: 'maestro-orchestrator', flag: 'CIRCUIT_BREAKER_ENABLED', state: 'on' });
    expect(await nextCommand(catalog, data, k8s)).toBe('flag maestro-orchestrator CIRCUIT_BREAKER_ENABLED off');
  });

  it('scales back to the previous replica count', async () => {
    const data = await planned('scale', { service: 'notification-agent', replicas: 5 }, 'dev');
    const from = data.plan.changes[0]!.from;
    expect(await nextCommand(catalog, data, k8s)).toBe(`scale notification-agent ${from} --env dev`);
  });

  it('switches back to the previous provider', async () => {
    const data = await ran('provider', { service: 'notification-agent', provider: 'ollama' }, 'dev');
    expect(await nextCommand(catalog, data, k8s)).toBe('provider notification-agent azure-openai --env dev');
  });

  it('after a restart, offers the last revision with another image, not the one before with the same image', async () => {
    const data = await ran('restart', { service: 'maestro-orchestrator' }, 'staging');
    const revisions = await k8s.listRevisions({ namespace: 'intelgraph-staging', deployment: 'maestro-orchestrator' });
    expect(revisions.map((r) => r.revision).sort()).toEqual([5, 6, 7, 8]);
    expect(await nextCommand(catalog, data, k8s)).toBe('rollback maestro-orchestrator --to-revision 6 --env staging');
  });

  it('after a rollback that did not hold, offers the revision below its target with another image', async () => {
    const data = await ran('rollback', { service: 'maestro-orchestrator', toRevision: 6 }, 'dev');
    expect(await nextCommand(catalog, data, k8s)).toBe('rollback maestro-orchestrator --to-revision 5 --env dev');
  });

  it('offers no rollback when no earlier revision runs another image', async () => {
    const data = await ran('rollback', { service: 'maestro-orchestrator', toRevision: 5 }, 'staging');
    expect(await nextCommand(catalog, data, k8s)).toBeUndefined();
  });
});
