import { describe, expect, it } from 'vitest';
import { followRollout, rolloutWaitingFor } from '../../src/verbs/shared/follow-rollout.js';
import type { DeploymentState } from '../../src/verbs/shared/kubernetes-ports.js';
import { resolveTarget } from '../../src/verbs/shared/target.js';
import { actionContext, recorder } from './context.js';
import { seededCluster } from './seed.js';

const base: DeploymentState = {
  namespace: 'ns',
  name: 'd',
  generation: 2,
  observedGeneration: 2,
  paused: false,
  desired: 3,
  replicas: 3,
  updated: 3,
  ready: 3,
  available: 3,
  template: {},
  containers: [],
  conditions: [],
};

describe('rolloutWaitingFor (kubectl rollout status)', () => {
  it('waits for the controller to observe the new generation', () => {
    expect(rolloutWaitingFor({ ...base, observedGeneration: 1 })).toBe('waiting for the deployment spec update to be observed');
  });
  it('waits for every replica to be updated', () => {
    expect(rolloutWaitingFor({ ...base, updated: 1 })).toBe('1 of 3 new replicas updated');
  });
  it('waits for old replicas to terminate', () => {
    expect(rolloutWaitingFor({ ...base, replicas: 4 })).toBe('1 old replicas pending termination');
  });
  it('waits for updated replicas to become available', () => {
    expect(rolloutWaitingFor({ ...base, available: 2 })).toBe('2 of 3 updated replicas available');
  });
  it('is done when all of that holds', () => {
    expect(rolloutWaitingFor(base)).toBeUndefined();
  });
});

describe('followRollout', () => {
  it('stops at the next poll when the job is cancelled', async () => {
    const k8s = seededCluster();
    const controller = new AbortController();
    const ctx = actionContext(k8s, { signal: controller.signal });
    const target = resolveTarget(ctx, 'maestro-orchestrator');
    // A rollout that never completes: one replica stays unavailable.
    const read = k8s.readDeployment.bind(k8s);
    k8s.readDeployment = async (ref) => ({ ...(await read(ref)), available: 2 });
    setTimeout(() => controller.abort(), 30);
    const result = await followRollout(ctx, target, recorder().progress, { action: 'restart' });
    expect(result.status).toBe('cancelled');
  });

  it('fails with a timeout reason when the rollout does not finish in time', async () => {
    const k8s = seededCluster();
    const ctx = actionContext(k8s, { followTimeoutMs: 20 });
    const read = k8s.readDeployment.bind(k8s);
    k8s.readDeployment = async (ref) => ({ ...(await read(ref)), available: 2 });
    const result = await followRollout(ctx, resolveTarget(ctx, 'maestro-orchestrator'), recorder().progress, { action: 'restart' });
    expect(result).toMatchObject({ status: 'failed', reason: 'not complete after 0s: 2 of 3 updated replicas available' });
  });
});
