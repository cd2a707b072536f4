import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubernetesPorts, kubernetesVerbs } from '../support/kubernetes-verbs.js';
import type { AdaptiveCard, ShowCardAction } from '../../src/platforms/teams/adaptive-card.js';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { CHANNEL_ID, cardAction, channelCommand } from './support/activities.js';
import { catalog, startTeamsHarness, type TeamsHarness } from './support/harness.js';

/** `@maestro rollback` in Teams, end to end: the real CloudAdapter, job queue, worker and Kubernetes actions against the sandbox cluster. */
let sandbox: Sandbox;
let h: TeamsHarness;
let ports: KubernetesPorts;
beforeAll(async () => {
  sandbox = await startSandbox({ catalog, rolloutIntervalMs: 50 });
  ports = { kubernetes: kubernetesFromConfig(sandbox.kubeConfig()), followPollMs: 50 };
  h = await startTeamsHarness('rollback-sandbox', { ports, registry: new ActionRegistry([...kubernetesVerbs]) });
});
afterAll(async () => {
  await h?.close();
  await sandbox?.close();
});

describe('a Teams rollback against the sandbox cluster', () => {
  it('plans on the command, runs on Confirm, and reports the result in the thread', async () => {
    const command = channelCommand(h.fake.url, 'rollback maestro-orchestrator');
    await h.send(command);
    await h.fake.waitFor(() => h.fake.activityCalls('send').length === 1);
    const plan = h.fake.activityCalls('send')[0]!;
    const card = (plan.body.attachments as Array<{ content: AdaptiveCard }>)[0]!.content;
    const confirm = card.actions!.find((a): a is ShowCardAction => a.type === 'Action.ShowCard')!.card.actions[0]!;

    const response = await h.send(cardAction(h.fake.url, { verb: confirm.verb, value: confirm.data.value, cardId: plan.id!, threadId: command.id }));
    expect(response.json?.type).toBe('application/vnd.microsoft.card.adaptive');

    await h.fake.waitFor((calls) => calls.some((c) => c.kind === 'send' && JSON.stringify(c.body).includes('Rolled back maestro-orchestrator')), 30_000);
    const result = h.fake.activityCalls('send').find((c) => JSON.stringify(c.body).includes('Rolled back'))!;
    expect(result.conversationId).toBe(`${CHANNEL_ID};messageid=${command.id}`);
    expect(h.fake.activityCalls('update').some((c) => c.activityId === plan.id)).toBe(true);
    const deployment = await ports.kubernetes.readDeployment({ namespace: 'intelgraph-prod', deployment: 'maestro-orchestrator' });
    expect(deployment.containers[0]!.image).toBe('ghcr.io/intelgraph/maestro-orchestrator:v2.7.3');
    expect(h.audit.entries.some((e) => e.actor.platform === 'teams' && e.decision === 'allowed' && e.jobId)).toBe(true);
  });
});
