import { afterEach, describe, expect, it } from 'vitest';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { rollback } from '../../src/verbs/rollback/rollback.js';
import { evidenceLines, startVerification, type Verification } from '../../src/verification/index.js';
import { catalog, silent, VerifyHarness } from './harness.js';

/**
 * What the evidence of a rollback says against what the sandbox cluster did: real
 * BullMQ jobs, the real Kubernetes client, the sandbox API server.
 */

const ORCHESTRATOR = { namespace: 'intelgraph-prod', deployment: 'maestro-orchestrator' };
const image = (tag: string) => `ghcr.io/intelgraph/maestro-orchestrator:${tag}`;

let h: VerifyHarness | undefined;
let second: Verification | undefined;
afterEach(async () => {
  await second?.close();
  second = undefined;
  await h?.close();
  h = undefined;
});

describe('the evidence of a rollback', () => {
  it('records the revision the deployment ended at, as kubectl rollout history numbers it, with its image read back', async () => {
    h = await new VerifyHarness('ev-resulting').start('1s');
    await h.run('rollback', { service: 'maestro-orchestrator' });
    await h.verification.settled();
    const [record] = await h.verification.evidence.list('maestro-orchestrator');
    const history = await kubernetesFromConfig(h.sandbox.kubeConfig()).listRevisions(ORCHESTRATOR);
    const newest = history.reduce((a, b) => (b.revision > a.revision ? b : a));
    expect(newest.revision).toBe(8);
    expect(record?.revision).toEqual({ from: '7', restored: '6', resulting: String(newest.revision) });
    expect(record?.image).toEqual({ from: image('v2.8.0'), to: newest.images.join(', ') });
  });

  it('records a rollback whose rollout does not complete, marked failed with the reason', async () => {
    h = await new VerifyHarness('ev-rollout-failed').start('1s');
    h.sandbox.markImageBad(image('v2.7.3'));
    await h.run('rollback', { service: 'maestro-orchestrator' }, { reason: 'v2.8.0 error spike' });
    await h.verification.settled();
    const records = await h.verification.evidence.list('maestro-orchestrator');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      via: 'kubernetes',
      actor: 'ada',
      reason: 'v2.8.0 error spike',
      revision: { from: '7', restored: '6' },
      verdict: 'failed',
      verdictDetail: expect.stringMatching(/^The rollback of maestro-orchestrator in prod failed: (ProgressDeadlineExceeded|pods are )/),
    });
  });

  it('records the revision a failed rollback left the deployment at, as kubectl rollout history numbers it, with its image', async () => {
    h = await new VerifyHarness('ev-failed-resulting').start('1s');
    h.sandbox.markImageBad(image('v2.7.3'));
    await h.run('rollback', { service: 'maestro-orchestrator' });
    await h.verification.settled();
    const [record] = await h.verification.evidence.list('maestro-orchestrator');
    const kubernetes = kubernetesFromConfig(h.sandbox.kubeConfig());
    const [history, deployment] = await Promise.all([kubernetes.listRevisions(ORCHESTRATOR), kubernetes.readDeployment(ORCHESTRATOR)]);
    const newest = history.reduce((a, b) => (b.revision > a.revision ? b : a));
    expect(deployment.revision).toBe(newest.revision);
    expect(newest.revision).toBe(8);
    expect(record).toMatchObject({
      verdict: 'failed',
      revision: { from: '7', restored: '6', resulting: String(newest.revision) },
      image: { from: image('v2.8.0'), to: newest.images.join(', ') },
    });
    expect(evidenceLines(record!)).toContain('revision: 7 → 8 (the template of revision 6)');
  });

  it("records where an unfinished rollback left the deployment from the verb's facts, not from its message's text", async () => {
    // The real rollback, with its message's "To" field (and text) rewritten: if evidence read them, it would say revision 99.
    const garbled: typeof rollback = {
      ...rollback,
      execute: async (ctx, args, progress, plan) => {
        const result = await rollback.execute(ctx, args, progress, plan);
        const fields = (result.message.fields ?? []).map((f) => (f.label === 'To' ? { ...f, value: 'revision 99 (elsewhere:v0)' } : f));
        return { ...result, message: { ...result.message, text: 'revision 99', fields } };
      },
    };
    h = await new VerifyHarness('ev-facts-not-text').start('1s', { verbs: [garbled] });
    h.sandbox.markImageBad(image('v2.7.3'));
    await h.run('rollback', { service: 'maestro-orchestrator' });
    await h.verification.settled();
    const [record] = await h.verification.evidence.list('maestro-orchestrator');
    const deployment = await kubernetesFromConfig(h.sandbox.kubeConfig()).readDeployment(ORCHESTRATOR);
    expect(deployment.revision).toBe(8);
    expect(record).toMatchObject({
      verdict: 'failed',
      revision: { from: '7', restored: '6', resulting: '8' },
      image: { from: image('v2.8.0'), to: image('v2.7.3') },
    });
    expect(JSON.stringify(record)).not.toContain('99');
  });

  it('records a rollback job that fails, marked failed with the error it failed with', async () => {
    h = await new VerifyHarness('ev-job-failed').start('1s');
    h.sandbox.deny({ verb: 'patch', resource: 'deployments', namespace: 'intelgraph-prod' });
    await h.run('rollback', { service: 'maestro-orchestrator' });
    await h.verification.settled();
    const [record] = await h.verification.evidence.list('maestro-orchestrator');
    expect(record).toMatchObject({
      verdict: 'failed',
      verdictDetail: "the bot's service account may not patch deployments in intelgraph-prod: grant it in manifests/k8s/base/rbac.yaml (scripts/k8s-rbac.ts)",
    });
  });

  it('records a failed rollback as an evidence audit record with the result failed', async () => {
    h = await new VerifyHarness('ev-failed-audit').start('1s');
    h.sandbox.markImageBad(image('v2.7.3'));
    await h.run('rollback', { service: 'maestro-orchestrator' });
    await h.verification.settled();
    const evidence = h.audit.entries.filter((e) => e.type === 'evidence');
    expect(evidence.map((e) => [e.action, e.service, e.result])).toEqual([['rollback', 'maestro-orchestrator', 'failed']]);
  });

  it('records a failed rollback once, with its resulting revision, when two worker processes run rollbacks', async () => {
    h = await new VerifyHarness('ev-failed-once').start('1s');
    second = await startVerification({ connection: h.redis, prefix: h.prefix, catalog, audit: h.audit, chat: () => h!.chat, log: silent });
    await h.addWorker(second);
    h.sandbox.markImageBad(image('v2.7.3'));
    await h.run('rollback', { service: 'maestro-orchestrator' });
    await Promise.all([h.verification.settled(), second.settled()]);
    const records = await h.verification.evidence.list('maestro-orchestrator');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ verdict: 'failed', revision: { from: '7', restored: '6', resulting: '8' } });
    expect(h.audit.entries.filter((e) => e.type === 'evidence')).toHaveLength(1);
  });
});
