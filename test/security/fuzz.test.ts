import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/catalog.js';
import { UserError } from '../../src/core/errors.js';
import { parseCommand } from '../../src/core/grammar.js';
import { calls, grammarRegistry } from '../fixtures/grammar-actions.js';

const catalog = loadCatalog('config/catalog.yaml');
const registry = grammarRegistry();

/** Valid commands of every shape the grammar knows; the fuzzer starts from these and breaks them. */
const SEEDS = [
  'rollback maestro-orchestrator',
  'rollback maestro-orchestrator --to-revision 6 --env staging --reason "v2.8.0 error spike"',
  '/maestro rollback maestro-orchestrator --via github --dry-run',
  '@maestro scale notification-agent 6 --env prod --yes',
  'flag maestro-orchestrator CIRCUIT_BREAKER_ENABLED on --restart',
  'logs victor-coordinators --since 30m --grep "ERROR|WARN"',
  'cache warm victor-coordinators --coordinator ChatCoordinator --items 1000',
  'statuspage open maestro-orchestrator major "Elevated errors"',
  'statuspage resolve maestro-orchestrator',
  'status',
  'status maestro-premium-router --env dev',
  'rollback maestro-orchestrator --break-glass --reason "outage"',
  'scale maestro-orchestrator --env=dev 3',
];

const NASTY = ['--', '-', '—env', '--env=', '"', "'", '\\', '=', '--reason', '--break-glass', '--constructor', '__proto__', '\u0000', '\u202e', '🚀', ' ', '\t', '\n', '9'.repeat(30), '-1', 'NaN', '1e3', 'toString'];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('swapWords' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), times: fc.integer({ min: 2, max: 50 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'swapWords': {
      const words = text.split(' ');
      const a = m.a % words.length;
      const b = m.b % words.length;
      [words[a], words[b]] = [words[b]!, words[a]!];
      return words.join(' ');
    }
    case 'repeat':
      return Array.from({ length: m.times }, () => text).join(' ');
  }
}

const command = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([seed, ms]) => ms.reduce((text, m) => mutate(text, m).slice(0, 4000), seed)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...NASTY, ...SEEDS.flatMap((s) => s.split(' '))), { maxLength: 30 }).map((w) => w.join(' ')) },
);

describe('the grammar under 10,000 random and mutated commands', () => {
  it('never crashes, never hangs, and runs nothing', () => {
    calls.length = 0;
    let slowest = 0;
    let refused = 0;
    fc.assert(
      fc.property(command, (text) => {
        const started = performance.now();
        try {
          parseCommand(text, { registry, catalog });
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          // Errors go back to chat: one short line, however long the input.
          expect(error.message.length).toBeLessThan(1000);
          refused++;
        }
        slowest = Math.max(slowest, performance.now() - started);
      }),
      // A fixed seed, so that CI runs the same 10,000 commands every time; FUZZ_SEED explores others.
      { numRuns: 10_000, seed: Number(process.env.FUZZ_SEED ?? 20261201) },
    );
    expect(calls).toEqual([]);
    // Bounded: a pathological input (a backtracking regex, say) would take seconds, not milliseconds.
    expect(slowest).toBeLessThan(250);
    expect(refused).toBeGreaterThan(1000);
  }, 60_000);
});
