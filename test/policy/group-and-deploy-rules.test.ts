import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyInput } from '../../src/config/policy.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { restart } from '../../src/verbs/restart/restart.js';
import { scale } from '../../src/verbs/scale/scale.js';
import { lastEphemeral, PolicyHarness, pagerChannel, people, policyCatalog } from './support.js';

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

  it('applies a rule about a service to a command about its group', () => {
    const rule = { name: 'agents-sre-only', description: 'only sre may change the agents', match: { services: ['notification-agent'] }, roles: ['sre'], effect: 'allow' as const };
    const strict = { ...catalog, policy: { ...catalog.policy, rules: [rule, ...catalog.policy.rules] } };
    const asked = { verb: 'restart', risk: 'low' as const, env: 'dev', conversation: pagerChannel('slack'), args: { all: 'agents' } };
    expect(evaluatePolicy(strict, { ...asked, actor: olly, services: ['notification-agent'] })).toMatchObject({ kind: 'denied', rule: 'agents-sre-only' });
    expect(evaluatePolicy(strict, { ...asked, actor: ada, services: ['notification-agent'] })).toMatchObject({ kind: 'allowed' });
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

describe('a command about a group, through the pipeline', () => {
  const rule = { name: 'agents-sre-only', description: 'only sre may change the agents', match: { services: ['notification-agent'] }, roles: ['sre'], effect: 'allow' as const };
  let h: PolicyHarness;
  beforeAll(() => {
    const base = policyCatalog();
    h = new PolicyHarness('group-rules', { catalog: { ...base, policy: { ...base.policy, rules: [rule, ...base.policy.rules] } }, actions: [scale, restart] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses scale --all agents 0 without --break-glass, audited, before anything is read', async () => {
    const chat = h.chat('slack');
    const result = await h.type(chat, ada, 'scale --all agents 0 --env dev');
    expect(result).toMatchObject({ kind: 'failed' });
    expect(lastEphemeral(chat)).toBe('denied by rule stop-all-needs-break-glass: scaling a whole group to 0 stops all of it (runbook 002\'s data-loss "stop all" step); it needs --break-glass --reason "why". Nothing was done.');
    expect((await h.trail()).at(-1)).toMatchObject({ decision: 'denied', detail: { rule: 'stop-all-needs-break-glass' } });
    expect(h.ports.calls).toEqual([]);
  });

  it("weighs a rule about a group's service: on-call may not restart --all agents where only sre may touch them", async () => {
    const chat = h.chat('slack');
    await h.type(chat, olly, 'restart --all agents --env dev');
    expect(lastEphemeral(chat)).toBe('denied by rule agents-sre-only: only sre may change the agents. Nothing was done.');
    expect(await h.jobCount()).toBe(0);
  });
});
