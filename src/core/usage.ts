import type { AnyAction } from './action.js';
import type { ArgKind } from './arg-meta.js';
import { type Arg, argSpec } from './arg-spec.js';

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

const kindPlaceholder: Record<ArgKind, string> = {
  service: 'SERVICE',
  group: 'GROUP',
  string: 'TEXT',
  int: 'N',
  duration: 'DURATION',
  boolean: 'on|off',
};

/** `rollback <service> [--to-revision N] [--via k8s|github]`: the verb's own arguments, from its args schema. */
export function usage(action: AnyAction): string {
  const spec = argSpec(action);
  const flags = [...spec.flags.values()].map((flag) => (flag.optional ? `[${flagUsage(flag)}]` : flagUsage(flag)));
  return [action.name, ...spec.positional.map(positionalUsage), ...flags].join(' ');
}

/** `[--env ENV] [--dry-run] [--reason "text"] [--yes]`: shown once, not on every verb. */
export function globalUsage(): string {
  return GLOBAL_FLAGS.map((f) => `[${globalFlagUsage(f)}]`).join(' ');
}

export function globalFlagUsage(flag: GlobalFlag): string {
  return flag.placeholder ? `--${flag.name} ${flag.placeholder}` : `--${flag.name}`;
}

/** `<service>`, `[<verb>]`, or the choices themselves (`on|off`), which say more than a name. */
export function positionalUsage(arg: Arg): string {
  const shown = arg.choices?.length ? arg.choices.join('|') : `<${arg.name}>`;
  return arg.optional ? `[${shown}]` : shown;
}

/** `--to-revision N`, `--via k8s|github`; a boolean flag is a bare switch. */
export function flagUsage(arg: Arg): string {
  if (arg.kind === 'boolean' && !arg.placeholder) return `--${arg.name}`;
  const placeholder = arg.placeholder ?? (arg.choices?.length ? arg.choices.join('|') : kindPlaceholder[arg.kind]);
  return `--${arg.name} ${placeholder}`;
}
