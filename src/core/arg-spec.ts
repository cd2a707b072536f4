import { z } from 'zod';
import type { AnyAction } from './action.js';
import { type ArgKind, type ArgMeta, argMeta } from './arg-meta.js';

/** One positional or flag, as the grammar reads it and help shows it, all from one key of the args schema. */
export interface Arg {
  /** The schema key the value lands in (`toRevision`). */
  key: string;
  /** As typed: the positional's name, or the flag's long name without dashes (`to-revision`). */
  name: string;
  kind: ArgKind;
  /** The key's `.describe()` text. */
  description: string;
  /** The schema accepts it left out (`.optional()` or `.default()`). */
  optional: boolean;
  /** A `z.enum`'s values, listed in help and in the error for anything else. */
  choices?: readonly string[];
  placeholder?: string;
}

export interface ArgSpec {
  positional: readonly Arg[];
  /** By long name without dashes, in schema order. */
  flags: ReadonlyMap<string, Arg>;
}

// Keyed by the schema: deriving walks zod internals, and every command would repeat it.
const specs = new WeakMap<z.ZodType, ArgSpec>();

/**
 * What an action's positionals and flags are, read from its args schema: its keys in
 * order, their types and their metadata. Throws for a schema that cannot be read as a
 * command line, so a verb with an undocumented key fails at registration, not in chat.
 */
export function argSpec(action: AnyAction): ArgSpec {
  let spec = specs.get(action.args);
  if (!spec) {
    spec = derive(action);
    specs.set(action.args, spec);
  }
  return spec;
}

function derive(action: AnyAction): ArgSpec {
  const fail = (problem: string) => new Error(`action '${action.name}': ${problem}`);
  const schema = action.args;
  if (!(schema instanceof z.ZodObject)) throw fail('args must be a z.object, one key per positional or flag');
  const positional: Arg[] = [];
  const flags = new Map<string, Arg>();
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const layers = unwrap(field);
    const meta = mergedMeta(layers);
    const description = layers.map((layer) => z.globalRegistry.get(layer)?.description).find(Boolean);
    if (!description) throw fail(`args.${key} has no .describe() text, which help shows`);
    const core = layers.at(-1)!;
    const kind = meta.kind ?? kindOf(core);
    if (!kind) throw fail(`args.${key} needs a kind in its argMeta: its type does not say how to read a word`);
    const choices = core instanceof z.ZodEnum ? core.options.map(String) : undefined;
    const optional = field.safeParse(undefined).success;
    const arg: Arg = { key, name: meta.positional ? key : kebabCase(key), kind, description, optional, choices, placeholder: meta.placeholder };
    if (!meta.positional) {
      flags.set(arg.name, arg);
      continue;
    }
    // `[<a>] [<b>] <c>`: with two words the grammar could not tell whether a or b was left out. One may be (`scale [<service>] <replicas>`): required words are filled first.
    if (!optional && positional.filter((p) => p.optional).length > 1) throw fail(`required positional ${key} follows more than one optional one`);
    positional.push(arg);
  }
  return { positional, flags };
}

/** The field and what it wraps (`.optional()`, `.default()`, ...), outermost first. */
function unwrap(field: z.ZodType): z.ZodType[] {
  const layers = [field];
  for (let inner = innerOf(field); inner; inner = innerOf(inner)) layers.push(inner);
  return layers;
}

function innerOf(schema: z.ZodType): z.ZodType | undefined {
  const def = schema._zod.def as { innerType?: z.ZodType };
  return def.innerType;
}

/** The outermost layer's metadata wins, so `.register()` may come before or after `.optional()`. */
function mergedMeta(layers: readonly z.ZodType[]): ArgMeta {
  return Object.assign({}, ...layers.map((layer) => argMeta.get(layer) ?? {}).reverse());
}

function kindOf(core: z.ZodType): ArgKind | undefined {
  if (core instanceof z.ZodBoolean) return 'boolean';
  if (core instanceof z.ZodNumber) return 'int';
  if (core instanceof z.ZodString || core instanceof z.ZodEnum) return 'string';
  return undefined;
}

/** `toRevision` → `to-revision`: schema keys are camelCase, flags are not. */
function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
