import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyInput } from '../../src/config/policy.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { pagerChannel, people, policyCatalog } from './support.js';

const catalog = policyCatalog();
const { ada, olly } = people('slack');

function decide(input: Partial<PolicyInput> & Pick<PolicyInput, 'actor'>) {
  return evaluatePolicy(catalog, { verb: 'scale', risk: 'low', env: 'dev', conversation: pagerChannel('slack'), ...input });
}

describe('the shipped rules for scale --all … 0 and deploy', () => {
  it('refuses scaling a whole group to 0 without --break-glass, saying how to ask for it', () => {
    expect(decide({ actor: ada, args: { all: 'agents', replicas: 0 } })).toEqual({
      kind: 'denied',
      rule: 'stop-all-needs-break-glass',
      message: 'scaling a whole group to 0 stops all of it (runbook 002\'s data-loss "stop all" step); it needs --break-glass --reason "why"',
      roles: ['sre'],
    });
  });

  it('allows it to sre with --break-glass, flagged as break-glass so it is announced', () => {
    expect(decide({ actor: ada, args: { all: 'agents', replicas: 0 }, breakGlass: true })).toMatchObject({ kind: 'allowed', breakGlass: true });
  });

  it('refuses --break-glass to on-call, who may not use it', () => {
    expect(decide({ actor: olly, args: { all: 'agents', replicas: 0 }, breakGlass: true })).toMatchObject({ kind: 'denied', rule: 'break-glass' });
  });

  it('does not hold back scaling a group to another number, or one service', () => {
    expect(decide({ actor: olly, args: { all: 'agents', replicas: 3 } })).toMatchObject({ kind: 'allowed', rule: 'changes-outside-prod' });
    expect(decide({ actor: olly, service: 'notification-agent', args: { service: 'notification-agent', replicas: 0 } })).toMatchObject({ kind: 'allowed' });
  });

  it('keeps prod deploys to sre and on-call, with a second sre approving', () => {
    const prod = { verb: 'deploy', risk: 'high' as const, env: 'prod', service: 'notification-agent', args: { service: 'notification-agent', imageTag: 'v1.2.1' } };
    expect(decide({ actor: ada, ...prod })).toMatchObject({ kind: 'needs_approval', rule: 'prod-high-risk-approval', approvers: ['sre'] });
    expect(decide({ actor: people('slack').eve, ...prod })).toMatchObject({ kind: 'denied' });
  });
});

describe('catalog groups', () => {
  const yaml = (groups: string) =>
    `defaults: { env: prod }\nenvironments: { prod: { protected: true } }\nservices:\n  a:\n    description: a\n    owner: x\n    envs: { prod: { namespace: n, deployment: a, selector: app=a, container: a, replicas: { min: 1, max: 2 } } }\n    channels: { slack: [], teams: [] }\nalerts: {}\ngroups: ${groups}\n`;

  it('refuses a group naming an unknown service', () => {
    expect(() => parseCatalog(yaml('{ g: [a, b] }'), 'groups.yaml')).toThrow(/groups\.g\.1.*unknown service 'b'/s);
  });

  it('refuses a group named like a service, and a service listed twice', () => {
    expect(() => parseCatalog(yaml('{ a: [a] }'), 'groups.yaml')).toThrow(/'a' is a service's name/);
    expect(() => parseCatalog(yaml('{ g: [a, a] }'), 'groups.yaml')).toThrow(/'a' is listed twice/);
  });

  it('takes a group of known services', () => {
    expect(parseCatalog(yaml('{ g: [a] }'), 'groups.yaml').groups).toEqual({ g: ['a'] });
  });
});
