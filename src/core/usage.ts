import { z } from 'zod';
import type { AnyAction, FlagParam, ParamKind, PositionalParam } from './action.js';

/** A flag every verb takes; the grammar reads these, help describes them once. */
export interface GlobalFlag {
  name: string;
  short?: string;
  /** Empty for a switch that takes no value. */
  placeholder: string;
  description: string;
  /** For emergencies only: help describes it, but error hints do not offer it to everyone. */
  emergency?: boolean;
}

export const GLOBAL_FLAGS: readonly GlobalFlag[] = [
  { name: 'env', placeholder: 'ENV', description: 'the environment to act in (default: the catalog default)' },
  { name: 'dry-run', placeholder: '', description: 'show what would change and change nothing' },
  { name: 'reason', placeholder: '"text"', description: 'why, for the audit record and the change cause' },
  { name: 'yes', short: 'y', placeholder: '', description: 'confirm up front (console only; chat asks with a button)' },
  { name: 'break-glass', placeholder: '', emergency: true, description: 'skip two-person approval in an emergency (needs --reason; pages on-call and is flagged in the audit trail)' },
];

const kindPlaceholder: Record<ParamKind, string> = {
  service: 'SERVICE',
  string: 'TEXT',
  int: 'N',
  duration: 'DURATION',
  boolean: 'on|off',
};

/** `rollback <service> [--to-revision N] [--via k8s|github]`: the verb's own arguments, from its params. */
export function usage(action: AnyAction): string {
  const parts = [action.name, ...action.params.positional.map(positionalUsage)];
  for (const [name, flag] of Object.entries(action.params.flags)) parts.push(`[${flagUsage(action, name, flag)}]`);
  return parts.join(' ');
}

/** `[--env ENV] [--dry-run] [--reason "text"] [--yes]`: shown once, not on every verb. */
export function globalUsage(): string {
  return GLOBAL_FLAGS.map((f) => `[${globalFlagUsage(f)}]`).join(' ');
}

export function globalFlagUsage(flag: GlobalFlag): string {
  return flag.placeholder ? `--${flag.name} ${flag.placeholder}` : `--${flag.name}`;
}

/** `<service>`, `[<verb>]`, or the choices themselves (`on|off`), which say more than a name. */
export function positionalUsage(param: PositionalParam): string {
  const shown = param.choices?.length ? param.choices.join('|') : `<${param.name}>`;
  return param.optional ? `[${shown}]` : shown;
}

/** `--to-revision N`; a boolean flag is a bare switch. */
export function flagUsage(action: AnyAction, name: string, flag: FlagParam): string {
  if (flag.kind === 'boolean' && !flag.placeholder) return `--${name}`;
  const placeholder = flag.placeholder ?? flagChoices(action, name)?.join('|') ?? kindPlaceholder[flag.kind];
  return `--${name} ${placeholder}`;
}

/**
 * The fixed values a flag accepts. FlagParam has no `choices`, so they come from the
 * action's zod schema (a `z.enum`, possibly optional or defaulted): one source of truth
 * for what is accepted and what help shows.
 */
export function flagChoices(action: AnyAction, name: string): readonly string[] | undefined {
  const schema = action.args;
  if (!(schema instanceof z.ZodObject)) return undefined;
  let field: unknown = (schema.shape as Record<string, unknown>)[camelCase(name)];
  for (let depth = 0; depth < 4; depth++) {
    if (field instanceof z.ZodOptional || field instanceof z.ZodNullable) field = field.unwrap();
    else if (field instanceof z.ZodDefault || field instanceof z.ZodPrefault) field = field.def.innerType;
    else break;
  }
  if (field instanceof z.ZodEnum) return field.options.map(String);
  return undefined;
}

/** `to-revision` → `toRevision`: how flag names become argument keys. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
