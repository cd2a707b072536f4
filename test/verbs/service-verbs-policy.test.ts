import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/config/catalog.js';
import { evaluatePolicy, type PolicyInput } from '../../src/config/policy.js';
import { parseCommand } from '../../src/core/grammar.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { cacheWarm } from '../../src/verbs/cache-warm/cache-warm.js';
import { serviceVerbs } from '../../src/verbs/service/service-verbs.js';
import { pagerChannel, people } from '../policy/support.js';

/** The shipped catalog's policy with people in its roles: ada sre, olly on-call, dev a developer, eve nobody. */
function catalogWithPeople() {
  const raw = parse(readFileSync('config/catalog.yaml', 'utf8'));
  raw.policy.roles.sre.slack.users = ['U0ADA'];
  raw.policy.roles.oncall.slack.users = ['U0OLLY'];
  raw.policy.roles.developers.slack.users = ['U0DEV'];
  return parseCatalog(stringify(raw), 'service-verbs-policy.yaml');
}

const catalog = catalogWithPeople();
const slack = { ...people('slack'), dev: { id: 'U0DEV', name: 'dev', platform: 'slack' as const } };
const registry = new ActionRegistry([...serviceVerbs, cacheWarm]);

function decide(text: string, actor: PolicyInput['actor']) {
  const parsed = parseCommand(text, { registry, catalog });
  return evaluatePolicy(catalog, {
    verb: parsed.verb,
    risk: parsed.action.risk,
    service: parsed.service ?? '',
    env: parsed.env,
    actor,
    conversation: pagerChannel('slack'),
  });
}

describe('the service verbs in the grammar', () => {
  it('reads `admin run <service> <action>` as the admin action verb, and `admin <service> <read>` as the read', () => {
    const run = parseCommand('admin run victor-coordinators restart-provider --provider anthropic --env dev', { registry, catalog });
    expect(run).toMatchObject({ verb: 'admin run', env: 'dev', args: { service: 'victor-coordinators', action: 'restart-provider', provider: 'anthropic' } });
    const read = parseCommand('/maestro admin victor-coordinators health-detailed', { registry, catalog });
    expect(read).toMatchObject({ verb: 'admin', args: { service: 'victor-coordinators', read: 'health-detailed' } });
  });

  it('refuses a flag admin run does not have, listing the ones it takes', () => {
    expect(() => parseCommand('admin run victor-coordinators clear-cache --all', { registry, catalog })).toThrow(/^unknown flag '--all' — .*admin run takes --provider, --coordinator/);
  });

  it('registers each verb with an args schema the grammar and help can read', () => {
    expect(registry.names()).toEqual(['health', 'config', 'deps', 'admin', 'admin run', 'cache warm']);
  });
});

describe("the shipped catalog's policy for the service verbs", () => {
  it('lets anyone, even a user with no role, call health and deps, like status', () => {
    expect(decide('health victor-coordinators', slack.eve)).toMatchObject({ kind: 'allowed' });
    expect(decide('deps maestro-orchestrator', slack.eve)).toMatchObject({ kind: 'allowed' });
  });

  it('keeps config and admin reads to sre, on-call and developers', () => {
    expect(decide('config maestro-orchestrator', slack.eve)).toMatchObject({ kind: 'denied', rule: 'service-internals' });
    expect(decide('admin maestro-orchestrator failed-orchestrations', slack.eve)).toMatchObject({ kind: 'denied', rule: 'service-internals' });
    expect(decide('config maestro-orchestrator', slack.dev)).toMatchObject({ kind: 'allowed' });
  });

  it('keeps admin actions to sre and on-call, in every environment', () => {
    expect(decide('admin run victor-coordinators clear-cache --env dev', slack.dev)).toEqual({
      kind: 'denied',
      rule: 'service-admin-actions',
      message: "only sre and on-call may run a service's admin actions (restart a provider, clear a cache)",
      roles: ['developers'],
    });
    expect(decide('admin run victor-coordinators clear-cache --env dev', slack.olly)).toMatchObject({ kind: 'allowed' });
    expect(decide('admin run victor-coordinators restart-provider --provider anthropic', slack.ada)).toMatchObject({ kind: 'allowed' });
  });
});
