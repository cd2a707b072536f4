import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyAction } from '../src/core/action.js';
import { argMeta } from '../src/core/arg-meta.js';
import { argSpec } from '../src/core/arg-spec.js';
import { ActionRegistry } from '../src/core/registry.js';
import { flagUsage, positionalUsage, usage } from '../src/core/usage.js';
import { approve, reject } from '../src/verbs/approvals/approve.js';
import { audit } from '../src/verbs/audit/audit.js';
import { createHelpAction } from '../src/verbs/help/help.js';
import { ack, resolve } from '../src/verbs/incident-response/incident-response.js';
import { incidentVerbs, kubernetesVerbs } from './support/kubernetes-verbs.js';
import { cancel, jobs } from '../src/verbs/jobs/jobs.js';
import { page } from '../src/verbs/page/page.js';

/** Every verb the bot ships, registered as src/app/compose.ts registers them. */
function shippedVerbs(): AnyAction[] {
  const registry = new ActionRegistry();
  registry.register(createHelpAction(registry));
  for (const action of [...kubernetesVerbs, ...incidentVerbs, page, ack, resolve, jobs, cancel, approve, reject, audit]) {
    registry.register(action);
  }
  return registry.all();
}

/** A read-only action around `args`, for what argSpec makes of one schema. */
function withArgs(args: z.ZodType): AnyAction {
  return { name: 'probe', summary: 'probe', risk: 'read', examples: [], args, execute: () => Promise.reject(new Error('not run')) };
}

describe('every shipped verb describes its arguments once, in its args schema', () => {
  const verbs = shippedVerbs();

  it.each(verbs.map((v) => [v.name, v] as const))('%s has no params of its own', (_, verb) => {
    expect(Object.hasOwn(verb, 'params')).toBe(false);
  });

  it.each(verbs.map((v) => [v.name, v] as const))('%s: each schema key is one positional or flag, with its .describe() text', (_, verb) => {
    const schema = verb.args as z.ZodObject;
    const spec = argSpec(verb);
    const args = [...spec.positional, ...spec.flags.values()];
    expect(args.map((a) => a.key).sort()).toEqual(Object.keys(schema.shape).sort());
    for (const arg of args) expect(arg.description.length, `${verb.name} ${arg.key}`).toBeGreaterThan(3);
    for (const arg of spec.positional) expect(usage(verb)).toContain(positionalUsage(arg));
    for (const flag of spec.flags.values()) expect(usage(verb)).toContain(flagUsage(flag));
  });

  it('takes positionals in schema key order and flags by their kebab-case names', () => {
    const rollback = verbs.find((v) => v.name === 'rollback')!;
    const spec = argSpec(rollback);
    expect(spec.positional.map((p) => p.key)).toEqual(['service']);
    expect([...spec.flags.keys()]).toEqual(['to-revision', 'via', 'image-tag']);
    expect(spec.flags.get('via')).toMatchObject({ key: 'via', kind: 'string', optional: true, choices: ['k8s', 'github'] });
    const scale = argSpec(verbs.find((v) => v.name === 'scale')!);
    expect(scale.positional.map((p) => [p.name, p.kind])).toEqual([
      ['service', 'service'],
      ['replicas', 'int'],
    ]);
  });
});

describe('argSpec', () => {
  it('reads description and metadata on either side of .optional() and .default()', () => {
    const spec = argSpec(
      withArgs(
        z.object({
          a: z.string().describe('inner').register(argMeta, { positional: true, kind: 'service' }).optional(),
          b: z.number().default(5).describe('outer').register(argMeta, { kind: 'duration', placeholder: '5s' }),
          c: z.boolean().describe('a switch'),
        }),
      ),
    );
    expect(spec.positional).toEqual([{ key: 'a', name: 'a', kind: 'service', description: 'inner', optional: true, choices: undefined, placeholder: undefined }]);
    expect(spec.flags.get('b')).toMatchObject({ kind: 'duration', description: 'outer', optional: true, placeholder: '5s' });
    expect(spec.flags.get('c')).toMatchObject({ kind: 'boolean', optional: false });
  });

  it('refuses a key without a description, naming it', () => {
    expect(() => argSpec(withArgs(z.object({ service: z.string() })))).toThrow("action 'probe': args.service has no .describe() text");
  });

  it('refuses a key whose type does not say how to read a word, unless its metadata does', () => {
    const since = z.union([z.string(), z.number()]).describe('how far back');
    expect(() => argSpec(withArgs(z.object({ since })))).toThrow('args.since needs a kind');
    expect(argSpec(withArgs(z.object({ since: since.register(argMeta, { kind: 'duration' }) }))).flags.get('since')?.kind).toBe('duration');
  });

  it('refuses a required positional after two optional ones, which no word could tell apart', () => {
    const args = z.object({
      a: z.string().optional().describe('a').register(argMeta, { positional: true }),
      b: z.string().optional().describe('b').register(argMeta, { positional: true }),
      c: z.string().describe('c').register(argMeta, { positional: true }),
    });
    expect(() => argSpec(withArgs(args))).toThrow('required positional c follows more than one optional one');
  });

  it('takes one optional positional before a required one (scale [<service>] <replicas>)', () => {
    const args = z.object({
      a: z.string().optional().describe('a').register(argMeta, { positional: true }),
      b: z.string().describe('b').register(argMeta, { positional: true }),
    });
    expect(argSpec(withArgs(args)).positional.map((p) => [p.key, p.optional])).toEqual([['a', true], ['b', false]]);
  });

  it('refuses args that are not an object', () => {
    expect(() => argSpec(withArgs(z.string()))).toThrow('args must be a z.object');
  });

  it('is checked at registration, so a bad schema stops start-up', () => {
    expect(() => new ActionRegistry([withArgs(z.object({ nameless: z.string() }))])).toThrow('args.nameless has no .describe() text');
  });
});
