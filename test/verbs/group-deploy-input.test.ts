import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/catalog.js';
import { UserError } from '../../src/core/errors.js';
import { parseCommand } from '../../src/core/grammar.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { usage } from '../../src/core/usage.js';
import { deploy } from '../../src/verbs/deploy/deploy.js';
import { restart } from '../../src/verbs/restart/restart.js';
import { scale } from '../../src/verbs/scale/scale.js';

const catalog = loadCatalog('config/catalog.yaml');
const registry = new ActionRegistry([deploy, restart, scale]);
const parse = (text: string) => parseCommand(text, { registry, catalog });

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error(`'${text}' parsed, but an error was expected`);
}

describe('the --all and deploy command lines', () => {
  it('reads scale --all agents 3 as the group and the number, and scale <service> N as before', () => {
    expect(parse('scale --all agents 3').args).toEqual({ all: 'agents', replicas: 3 });
    expect(parse('scale notification-agent 3').args).toEqual({ service: 'notification-agent', replicas: 3 });
    expect(parse('restart --all agents').args).toEqual({ all: 'agents' });
  });

  it('refuses a service and --all together', () => {
    expect(errorOf('restart notification-agent --all agents')).toBe(
      "restart: give either <service> or --all <group>, not both (--all agents already names its services) — see 'help restart'",
    );
    expect(errorOf('scale notification-agent 3 --all agents')).toBe(
      "scale: give either <service> or --all <group>, not both (--all agents already names its services) — see 'help scale'",
    );
  });

  it('refuses neither a service nor --all', () => {
    expect(errorOf('restart')).toBe("restart: give <service> or --all <group> — see 'help restart'");
    expect(errorOf('scale 3')).toBe("scale: give <service> or --all <group> — see 'help scale'");
  });

  it('refuses an unknown group at once, listing the groups, and names the group for the policy', () => {
    expect(errorOf('restart --all agentz')).toBe("unknown group 'agentz' — did you mean 'agents'? Known groups: agents — see 'help restart'");
    expect(errorOf('scale --all nope 3')).toBe("unknown group 'nope' — known groups: agents — see 'help scale'");
    expect(parse('scale --all agents 3').group).toBe('agents');
  });

  it('still needs the number with --all', () => {
    expect(errorOf('scale --all agents')).toBe("scale needs <replicas> — see 'help scale'");
  });

  it('reads deploy <service> --image-tag T', () => {
    expect(parse('deploy notification-agent --image-tag v1.2.1 --env dev').args).toEqual({ service: 'notification-agent', imageTag: 'v1.2.1' });
  });

  it.each([
    ['no tag', 'deploy notification-agent', "--image-tag is required — see 'help deploy'"],
    ['a tag with a slash', 'deploy notification-agent --image-tag ../v1', "--image-tag must be an image tag such as v2.8.1 (letters, digits, _ . -, at most 128, not starting with . or -), got '../v1' — see 'help deploy'"],
    ['a tag starting with a dot', 'deploy notification-agent --image-tag .v1', "--image-tag must be an image tag such as v2.8.1 (letters, digits, _ . -, at most 128, not starting with . or -), got '.v1' — see 'help deploy'"],
    ['a tag with a colon', 'deploy notification-agent --image-tag v1:latest', "--image-tag must be an image tag such as v2.8.1 (letters, digits, _ . -, at most 128, not starting with . or -), got 'v1:latest' — see 'help deploy'"],
    ['no service', 'deploy --image-tag v1', "deploy needs <service> — see 'help deploy'"],
  ])('refuses %s', (_, text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('refuses a tag of 129 characters and takes one of 128', () => {
    expect(errorOf(`deploy notification-agent --image-tag ${'a'.repeat(129)}`)).toMatch(/^--image-tag must be an image tag such as v2\.8\.1/);
    expect(parse(`deploy notification-agent --image-tag ${'a'.repeat(128)}`).args).toMatchObject({ imageTag: 'a'.repeat(128) });
  });

  it('shows the new forms in usage', () => {
    expect(usage(scale)).toBe('scale [<service>] <replicas> [--all group]');
    expect(usage(restart)).toBe('restart [<service>] [--all group]');
    expect(usage(deploy)).toBe('deploy <service> --image-tag T');
    expect(scale.examples).toContain('scale --all agents 3');
    expect(restart.examples).toContain('restart --all agents');
  });
});
