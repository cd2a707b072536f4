import { z } from 'zod';
import type { Catalog } from '../../config/catalog-schema.js';
import type { Action, AnyAction, Unavailable } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { argSpec } from '../../core/arg-spec.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { unknownVerb } from '../../core/grammar.js';
import type { Field, Message } from '../../core/message.js';
import type { ActionRegistry } from '../../core/registry.js';
import { flagUsage, GLOBAL_FLAGS, globalFlagUsage, positionalUsage, usage } from '../../core/usage.js';

export const HelpArgs = z.object({
  verb: z.string().min(1).optional().describe('the command to explain').register(argMeta, { positional: true }),
  word: z
    .string()
    .min(1)
    .optional()
    .describe('the second word of a two-word command (help cache warm)')
    .register(argMeta, { positional: true }),
});
export type HelpArgs = z.infer<typeof HelpArgs>;

/**
 * `help` and `help <verb>`, generated from the registry it is given, so help never
 * lists a verb that does not exist and never misses one that does; what this
 * deployment cannot run (a credential that is not set) is marked with the reason.
 * The second positional exists for two-word verbs (`help cache warm`).
 */
export function createHelpAction(registry: ActionRegistry): Action<HelpArgs> {
  return {
    name: 'help',
    summary: 'List the commands, or explain one',
    risk: 'read',
    args: HelpArgs,
    examples: ['help', 'help rollback', 'help cache warm'],
    async execute(ctx, args) {
      if (!args.verb) return done(overview(registry, ctx.catalog, ctx.ports));
      const action = findVerb(registry, args.verb, args.word);
      return done(verbHelp(action, action.unavailable?.(ctx.ports) ?? []));
    },
  };
}

/** The verb the words name: two words first, as the grammar matches them. */
function findVerb(registry: ActionRegistry, first: string, second: string | undefined): AnyAction {
  const one = first.toLowerCase();
  const two = second?.toLowerCase();
  if (two !== undefined) {
    const pair = registry.get(`${one} ${two}`);
    if (pair) return pair;
  }
  const action = registry.get(one);
  if (action && two === undefined) return action;
  // `help rollback now` names no verb; guessing it meant rollback would hide the slip.
  if (action) throw new UserError(`unknown command '${one} ${two}' — did you mean '${one}'? Try 'help ${one}'.`, 'unknown_command');
  throw unknownVerb(one, two, registry.names());
}

/** "Not available here: ..." for what this deployment cannot run, so help lists only what works or says why not. */
function unavailableText(missing: readonly Unavailable[]): string | undefined {
  if (missing.length === 0) return undefined;
  return missing.map((m) => `Not available here${m.part ? ` with ${m.part}` : ''}: ${m.reason}.`).join(' ');
}

function overview(registry: ActionRegistry, catalog: Catalog, ports: unknown): Message {
  const fields: Field[] = registry.all().map((action) => {
    const missing = unavailableText(action.unavailable?.(ports) ?? []);
    return { label: action.name, value: missing ? `${action.summary}\n${missing}` : action.summary };
  });
  return {
    title: 'maestro commands',
    severity: 'info',
    fields,
    table: { columns: [{ header: 'Every command also takes' }, { header: 'Meaning' }], rows: globalFlagRows(catalog) },
    footer: "Type 'help <command>' for its arguments and examples, e.g. 'help rollback'.",
  };
}

function verbHelp(action: AnyAction, unavailable: readonly Unavailable[]): Message {
  const rows: string[][] = [];
  const spec = argSpec(action);
  for (const arg of spec.positional) {
    const choices = arg.choices?.length ? ` (one of: ${arg.choices.join(', ')})` : '';
    const optional = arg.optional ? ' (optional)' : '';
    rows.push([positionalUsage(arg), `${arg.description}${choices}${optional}`]);
  }
  for (const flag of spec.flags.values()) {
    // Without a placeholder the usage already shows the choices (`--via k8s|github`).
    const listed = flag.placeholder && flag.choices?.length ? ` (one of: ${flag.choices.join(', ')})` : '';
    // Flags are optional unless the schema says otherwise, and then help must say so.
    const required = flag.optional ? '' : ' (required)';
    rows.push([flagUsage(flag), `${flag.description}${listed}${required}`]);
  }
  const risk = action.risk === 'read' ? 'Read-only: changes nothing.' : riskNote(action);
  const missing = unavailableText(unavailable);
  return {
    title: `${action.name}: ${action.summary}`,
    severity: 'info',
    text: [`Usage: ${usage(action)}`, missing].filter(Boolean).join('\n'),
    // A table, not fields: `<service>` and `--via k8s|github` are shown as written on every platform.
    ...(rows.length > 0 ? { table: { columns: [{ header: 'Argument' }, { header: 'Meaning' }], rows } } : {}),
    ...(action.examples.length > 0 ? { code: action.examples.join('\n') } : {}),
    footer: `${risk} Every command also takes ${GLOBAL_FLAGS.map(globalFlagUsage).join(' ')} (see 'help').`,
  };
}

/** The global flags described once, with the environments this catalog really has: [usage, meaning]. */
function globalFlagRows(catalog: Catalog): string[][] {
  const envs = Object.keys(catalog.environments).join(', ');
  return GLOBAL_FLAGS.map((flag) => {
    const extra = flag.name === 'env' ? ` — one of ${envs}; default ${catalog.defaults.env}` : '';
    const short = flag.short ? ` (-${flag.short})` : '';
    return [`${globalFlagUsage(flag)}${short}`, `${flag.description}${extra}`];
  });
}

function riskNote(action: AnyAction): string {
  const level = action.risk === 'high' ? 'High risk' : 'Changes things';
  return `${level}: use --dry-run to see the plan; protected environments ask for confirmation.`;
}
