import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyInput } from '../../src/config/policy.js';
import { deletePod } from '../../src/verbs/delete-pod/delete-pod.js';
import { hpa } from '../../src/verbs/hpa/hpa.js';
import { hpaSet } from '../../src/verbs/hpa/hpa-set.js';
import { pods } from '../../src/verbs/pods/pods.js';
import { pagerChannel, people, policyCatalog, randomChannel } from '../policy/support.js';

// The shipped catalog's policy (config/catalog.yaml) applied to the new verbs, with their declared risks.
const catalog = policyCatalog();
const slack = people('slack');

function decide(verb: { name: string; risk: PolicyInput['risk'] }, input: Partial<PolicyInput> & Pick<PolicyInput, 'actor'>) {
  return evaluatePolicy(catalog, {
    verb: verb.name,
    risk: verb.risk,
    service: 'maestro-orchestrator',
    env: 'prod',
    conversation: pagerChannel('slack'),
    ...input,
  });
}

describe('the shipped policy for pods, hpa, hpa set and delete-pod', () => {
  it.each([pods, hpa])('lets a user who holds no role read with %s', (verb) => {
    expect(decide(verb, { actor: slack.eve })).toMatchObject({ kind: 'allowed' });
  });

  it.each([deletePod, hpaSet])('lets on-call run %s in prod from the incident channel', (verb) => {
    expect(decide(verb, { actor: slack.olly })).toMatchObject({ kind: 'allowed' });
  });

  it.each([deletePod, hpaSet])('refuses %s to a user who holds no role', (verb) => {
    expect(decide(verb, { actor: slack.eve, env: 'dev' })).toMatchObject({ kind: 'denied', rule: 'unknown-users-read-only' });
  });

  it.each([deletePod, hpaSet])('refuses %s in prod outside the incident channels', (verb) => {
    expect(decide(verb, { actor: slack.ada, conversation: randomChannel('slack') })).toMatchObject({ kind: 'denied', rule: 'prod-from-incident-channels' });
  });

  it('keeps delete-pod and hpa set in prod to sre and on-call by name too', () => {
    const rule = catalog.policy.rules.find((r) => r.name === 'prod-pods-and-autoscaling')!;
    expect(rule).toMatchObject({ match: { verbs: ['delete-pod', 'hpa set'], envs: ['prod'] }, roles: ['sre', 'oncall'] });
  });
});
