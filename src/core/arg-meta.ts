import { z } from 'zod';

/** How the grammar reads one positional argument or flag value from a word. */
export type ArgKind = 'service' | 'group' | 'string' | 'int' | 'duration' | 'boolean';

/**
 * What a key of an action's args schema says about itself beyond its zod type and its
 * `.describe()` text: only what the type cannot. A key without it is a `--flag` whose
 * kind follows from its type (boolean, number → int, string or enum → string).
 */
export interface ArgMeta {
  /** Read from the words after the verb, in the schema's key order, rather than from `--key`. */
  positional?: boolean;
  /** For what a zod type cannot say: a catalog `service` or `group` name, or a `duration` (30s, 10m) read as seconds. */
  kind?: ArgKind;
  /** Shown in usage instead of the choices or the kind's own (`--since 10m`, `--body "..."`). */
  placeholder?: string;
}

/** Attach with `.register(argMeta, { positional: true, kind: 'service' })`; src/core/arg-spec.ts reads it. */
export const argMeta = z.registry<ArgMeta>();
