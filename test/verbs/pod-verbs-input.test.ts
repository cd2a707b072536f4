import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/catalog.js';
import { parseCommand } from '../../src/core/grammar.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { kubernetesVerbs } from '../support/kubernetes-verbs.js';

// The grammar is pure (nothing runs on a parse error); the refusals that need the cluster are in test/kubernetes/.
const catalog = loadCatalog('config/catalog.yaml');
const registry = new ActionRegistry([...kubernetesVerbs]);
const parse = (text: string) => parseCommand(text, { registry, catalog });

describe('bad input to pods, hpa, hpa set and delete-pod gets a clear one-line error', () => {
  it.each([
    ['delete-pod maestro-orchestrator --grace-period -1', "--grace-period must be at least 1, got '-1' — see 'help delete-pod'"],
    ['delete-pod maestro-orchestrator --grace-period 99999', "--grace-period must be at most 600, got '99999' — see 'help delete-pod'"],
    ['delete-pod maestro-orchestrator --grace-period 1e9', "--grace-period must be a whole number, got '1e9' — see 'help delete-pod'"],
    ['delete-pod maestro-orchestrator --grace-period soon', "--grace-period must be a whole number, got 'soon' — see 'help delete-pod'"],
    ['delete-pod maestro-orchestrator --pod Bad_Name', "--pod must be a pod name (lowercase letters, digits, - and .), got 'Bad_Name' — see 'help delete-pod'"],
    ['hpa set notification-agent --min 0', "--min must be at least 1, got '0' — see 'help hpa set'"],
    ['hpa set notification-agent --max five', "--max must be a whole number, got 'five' — see 'help hpa set'"],
    ['pods nosuch', /^unknown service 'nosuch' — known services: maestro-orchestrator, .* — see 'help pods'$/],
    ['hpa nosuch', /^unknown service 'nosuch' — .* — see 'help hpa'$/],
    ['delete-pod nosuch', /^unknown service 'nosuch' — .* — see 'help delete-pod'$/],
    ['pods maestro-orchestrator extra', "too many arguments for pods: 'extra' (it takes <service>) — see 'help pods'"],
  ])('%s', (text, error) => {
    expect(() => parse(text)).toThrow(error);
  });

  it('reads hpa set as its own verb, not as hpa with a service named set', () => {
    const parsed = parse('hpa set notification-agent --min 3 --max 15');
    expect([parsed.verb, parsed.args]).toEqual(['hpa set', { service: 'notification-agent', min: 3, max: 15 }]);
  });

  it('gives delete-pod a 30 second grace period unless told otherwise', () => {
    expect(parse('delete-pod maestro-orchestrator').args).toEqual({ service: 'maestro-orchestrator', gracePeriod: 30 });
  });
});
