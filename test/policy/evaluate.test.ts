import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyInput } from '../../src/config/policy.js';
import { pagerChannel, people, policyCatalog, randomChannel } from './support.js';

const catalog = policyCatalog();
const slack = people('slack');
const teams = people('teams');

function decide(input: Partial<PolicyInput> & Pick<PolicyInput, 'actor'>) {
  return evaluatePolicy(catalog, {
    verb: 'rollback',
    risk: 'high',
    service: 'maestro-orchestrator',
    env: 'prod',
    conversation: pagerChannel(input.actor.platform),
    ...input,
  });
}

describe('evaluatePolicy', () => {
  it('lets a user who holds no role run read-only commands', () => {
    expect(decide({ actor: slack.eve, verb: 'status', risk: 'read' })).toMatchObject({ kind: 'allowed' });
  });

  it('refuses any change to a user who holds no role, naming the rule', () => {
    expect(decide({ actor: slack.eve, verb: 'scale', risk: 'low', env: 'dev' })).toMatchObject({ kind: 'denied', rule: 'unknown-users-read-only' });
  });

  it('denies a prod rollback to on-call with the rule that says only sre may', () => {
    expect(decide({ actor: slack.olly })).toEqual({
      kind: 'denied',
      rule: 'prod-rollback',
      message: 'only sre may roll back in prod',
      roles: ['oncall'],
    });
  });

  it('asks for a second sre on a high-risk prod change', () => {
    expect(decide({ actor: slack.ada })).toMatchObject({ kind: 'needs_approval', rule: 'prod-high-risk-approval', approvers: ['sre'], ttlMs: 600_000 });
  });

  it('lets on-call make a low-risk prod change without approval', () => {
    expect(decide({ actor: slack.olly, verb: 'scale', risk: 'low' })).toMatchObject({ kind: 'allowed', rule: 'prod-changes' });
  });

  it('refuses a prod change typed outside the incident channels', () => {
    expect(decide({ actor: slack.ada, verb: 'scale', risk: 'low', conversation: randomChannel('slack') })).toMatchObject({
      kind: 'denied',
      rule: 'prod-from-incident-channels',
    });
  });

  it("accepts the service's own incident channel, whatever its case or '#'", () => {
    const agents = { platform: 'slack' as const, id: 'C0AGENTS', name: 'Agents-Incidents' };
    expect(decide({ actor: slack.olly, verb: 'scale', risk: 'low', service: 'notification-agent', conversation: agents })).toMatchObject({ kind: 'allowed' });
  });

  it('allows changes outside prod from any channel', () => {
    expect(decide({ actor: slack.olly, env: 'dev', conversation: randomChannel('slack') })).toMatchObject({ kind: 'allowed', rule: 'changes-outside-prod' });
  });

  it('grants a role through a Slack user group', () => {
    const carol = { id: 'U0CAROL', name: 'carol', platform: 'slack' as const };
    expect(decide({ actor: carol, groups: ['S0MAESTROSRE'] })).toMatchObject({ kind: 'needs_approval' });
  });

  it('grants a role through a Teams AAD object id, the same as in Slack', () => {
    expect(decide({ actor: teams.olly })).toMatchObject({ kind: 'denied', rule: 'prod-rollback' });
    expect(decide({ actor: teams.ada })).toMatchObject({ kind: 'needs_approval' });
  });

  it('skips approval with break-glass for a role allowed to use it, flagged', () => {
    expect(decide({ actor: slack.ada, breakGlass: true })).toEqual({ kind: 'allowed', rule: 'break-glass', roles: ['sre'], breakGlass: true });
  });

  it('refuses break-glass to a role not allowed to use it', () => {
    expect(decide({ actor: slack.olly, verb: 'scale', risk: 'low', breakGlass: true })).toMatchObject({
      kind: 'denied',
      rule: 'break-glass',
      message: 'only sre may use --break-glass',
    });
  });

  it('does not ask for approval at the console, where the operator is the only person', () => {
    const console = { id: 'anyone', name: 'anyone', platform: 'console' as const };
    expect(decide({ actor: console, conversation: { platform: 'console', id: 'console' } })).toMatchObject({ kind: 'allowed' });
  });

  it('refuses a change that no rule allows', () => {
    const strict = policyCatalog();
    const noRules = { ...strict, policy: { ...strict.policy, rules: [] } };
    expect(evaluatePolicy(noRules, { actor: slack.ada, verb: 'scale', risk: 'low', env: 'dev', conversation: pagerChannel('slack') })).toMatchObject({
      kind: 'denied',
      rule: 'default',
    });
  });
});
