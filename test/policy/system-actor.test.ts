import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/catalog.js';
import { evaluatePolicy, type PolicyInput } from '../../src/config/policy.js';
import { MAESTRO_BOT } from '../../src/pipeline/automatic.js';

const shipped = loadCatalog('config/catalog.yaml');
const withoutRule = { ...shipped, policy: { ...shipped.policy, rules: shipped.policy.rules.filter((r) => r.name !== 'automatic-changes') } };
const thread = { platform: 'slack' as const, id: '#maestro-pager', name: '#maestro-pager' };

function decide(verb: string, catalog = shipped, input: Partial<PolicyInput> = {}) {
  return evaluatePolicy(catalog, { actor: MAESTRO_BOT, verb, risk: 'low', service: 'maestro-orchestrator', env: 'prod', conversation: thread, ...input });
}

describe('evaluatePolicy for the system actor (maestro-bot)', () => {
  it('allows page and resolve by the shipped automatic-changes rule, holding no role', () => {
    expect(decide('page')).toMatchObject({ kind: 'allowed', rule: 'automatic-changes', roles: [] });
    expect(decide('resolve')).toMatchObject({ kind: 'allowed', rule: 'automatic-changes' });
  });

  it('denies any other change: no rule names platform system for it', () => {
    const decision = decide('rollback', shipped, { risk: 'high' });
    expect(decision).toMatchObject({ kind: 'denied' });
    expect(decision.kind === 'denied' && decision.message).toContain('platform system');
  });

  it('denies page without the automatic-changes rule, saying what rule to add', () => {
    const decision = decide('page', withoutRule);
    expect(decision).toMatchObject({ kind: 'denied' });
    expect(decision.kind === 'denied' && decision.message).toContain('platforms [system]');
  });

  it('is not bound by the rules for people (roles, channels) that do not name it', () => {
    // ack/resolve for people need sre or oncall; the bot holds neither, yet its own rule lets it resolve.
    expect(decide('resolve', shipped, { conversation: { platform: 'slack', id: '#random', name: '#random' } })).toMatchObject({ kind: 'allowed', rule: 'automatic-changes' });
  });
});
