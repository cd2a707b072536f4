import { parseDuration } from './duration.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { AnyAction } from './action.js';
import { describeIssues } from './arg-issues.js';
import type { ArgKind } from './arg-meta.js';
import { type Arg, argSpec } from './arg-spec.js';
import { assignWords } from './positional-words.js';
import { didYouMean, suggest } from './did-you-mean.js';
import { UserError } from './errors.js';
import type { ActionRegistry } from './registry.js';
import { lex, shorten, type Token } from './tokenize.js';
import { flagUsage, GLOBAL_FLAGS, positionalUsage } from './usage.js';

export { tokenize } from './tokenize.js';

export interface ParsedCommand {
  action: AnyAction;
  verb: string;
  args: unknown;
  env: string;
  service?: string;
  /** The catalog group a `--all <group>` names: the policy weighs each of its services. */
  group?: string;
  dryRun: boolean;
  reason?: string;
  yes: boolean;
  /** Skip two-person approval; the grammar guarantees a reason comes with it. */
  breakGlass: boolean;
}

export interface GrammarDeps {
  registry: ActionRegistry;
  catalog: Catalog;
}

/** How the console, Slack and Teams address the bot; a leading one is not part of the command. */
const BOT_NAMES = new Set(['/maestro', 'maestro', '@maestro']);

const BOOLEAN_WORDS = new Map([
  ['on', true],
  ['true', true],
  ['off', false],
  ['false', false],
]);

/** One flag or positional being read: how it is named in errors, and what it accepts. */
interface Slot {
  label: string;
  kind: ArgKind;
  choices?: readonly string[];
}

interface Globals {
  env?: string;
  reason?: string;
  dryRun: boolean;
  yes: boolean;
  breakGlass: boolean;
}

/**
 * Reads one command strictly. Only the first word(s) decide the verb, so free text that
 * merely mentions one is an unknown command, never a command; every problem is a one-line
 * UserError saying what was expected. Pure: nothing runs here.
 */
/**
 * Our own cap on what one command may be: every command the grammar knows fits in a
 * few hundred characters, and each character is lexed, redacted and audited.
 */
export const MAX_COMMAND_LENGTH = 4_000;

export function parseCommand(text: string, deps: GrammarDeps): ParsedCommand {
  if (text.length > MAX_COMMAND_LENGTH) {
    throw new UserError(`that command is ${text.length} characters long; the limit is ${MAX_COMMAND_LENGTH} — see 'help'`, 'command_too_long');
  }
  const tokens = lex(text);
  if (tokens[0] && !tokens[0].quoted && BOT_NAMES.has(tokens[0].text.toLowerCase())) tokens.shift();
  if (tokens.length === 0) throw new UserError("no command given — try 'help'", 'empty_command');

  const { action, rest } = resolveVerb(tokens, deps.registry);
  const verb = action.name;
  const spec = argSpec(action);
  const fail = (message: string, code: string) => new UserError(`${message} — see 'help ${verb}'`, code);
  const attempt = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof UserError) throw fail(error.message, error.code);
      throw error;
    }
  };

  const positionals: Token[] = [];
  const rawFlags = new Map<string, string>();
  const globals: Globals = { dryRun: false, yes: false, breakGlass: false };
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!isFlag(token)) {
      positionals.push(token);
      continue;
    }
    const { name, inline } = splitFlag(token.text);
    const global = GLOBAL_FLAGS.find((g) => g.name === name || g.short === name);
    const own: Arg | undefined = spec.flags.get(name);
    if (!global && !own) throw fail(unknownFlag(token.text, action), 'unknown_flag');
    const canonical = global ? global.name : name;
    if (seen.has(canonical)) throw fail(`--${canonical} is given twice; give it once`, 'duplicate_flag');
    seen.add(canonical);

    const isSwitch = global ? global.placeholder === '' : own!.kind === 'boolean';
    let value = inline;
    if (!isSwitch && value === undefined) {
      const next = rest[i + 1];
      if (next && !isFlag(next)) {
        value = next.text;
        i++;
      }
    }
    if (!isSwitch && !value) {
      const shown = global ? `--${global.name} ${global.placeholder}` : flagUsage(own!);
      throw fail(`--${canonical} needs a value, as in '${shown}'`, 'missing_value');
    }
    if (global) {
      if (canonical === 'env') globals.env = value;
      else if (canonical === 'reason') globals.reason = value;
      else {
        const on = value === undefined || attempt(() => convert(value, { label: `--${canonical}`, kind: 'boolean' }, deps.catalog)) === true;
        if (canonical === 'dry-run') globals.dryRun = on;
        else if (canonical === 'break-glass') globals.breakGlass = on;
        else globals.yes = on;
      }
    } else {
      rawFlags.set(name, value ?? 'true');
    }
  }

  if (globals.breakGlass && !globals.reason?.trim()) {
    throw fail('--break-glass needs --reason "why": an emergency bypass must say why', 'break_glass_without_reason');
  }

  const env = globals.env ?? deps.catalog.defaults.env;
  const envs = Object.keys(deps.catalog.environments);
  if (!envs.includes(env)) {
    const hint = didYouMean(suggest(env, envs));
    throw fail(`unknown env '${shorten(env, 40)}' — ${hint ? `${hint} Known` : 'known'} envs: ${envs.join(', ')}`, 'unknown_env');
  }

  const params = spec.positional;
  if (positionals.length > params.length) {
    const extras = positionals.slice(params.length);
    // Capped: the error goes back to chat, and a pasted wall of words must not come back whole.
    const extra = extras.slice(0, 5).map((t) => `'${shorten(t.text, 40)}'`);
    if (extras.length > 5) extra.push(`and ${extras.length - 5} more`);
    const takes = params.length ? params.map(positionalUsage).join(' ') : 'no arguments';
    throw fail(`too many arguments for ${verb}: ${extra.join(', ')} (it takes ${takes})`, 'too_many_arguments');
  }
  const wordOf = assignWords(params, positionals);
  const missing = params.filter((p) => !p.optional && !wordOf.has(p.key));
  if (missing.length > 0) throw fail(`${verb} needs ${missing.map(positionalUsage).join(' ')}`, 'missing_argument');

  const assembled: Record<string, unknown> = {};
  // Every key, read or not: zod's "is required" for a flag left out must name `--status`, not a key.
  const labels = new Map<string, string>([
    ...params.map((p): [string, string] => [p.key, `<${p.name}>`]),
    ...[...spec.flags.values()].map((f): [string, string] => [f.key, `--${f.name}`]),
  ]);
  let service: string | undefined;
  let group: string | undefined;
  const read = (key: string, raw: string, slot: Slot) => {
    assembled[key] = attempt(() => convert(raw, slot, deps.catalog));
    if (slot.kind === 'service' && service === undefined) service = raw;
    if (slot.kind === 'group' && group === undefined) group = raw;
  };
  for (const param of params) {
    const token = wordOf.get(param.key);
    if (token) read(param.key, token.text, { label: `<${param.name}>`, kind: param.kind, choices: param.choices });
  }
  for (const [name, raw] of rawFlags) {
    const flag = spec.flags.get(name)!;
    read(flag.key, raw, { label: `--${name}`, kind: flag.kind, choices: flag.choices });
  }

  if (service !== undefined) {
    const has = Object.keys(deps.catalog.services[service]!.envs);
    if (!has.includes(env)) throw fail(`${service} has no env '${env}' (it has: ${has.join(', ')})`, 'unknown_env');
  }

  const result = action.args.safeParse(assembled);
  if (!result.success) throw fail(describeIssues(result.error.issues, assembled, labels, verb), 'invalid_arguments');

  return { action, verb, args: result.data, env, service, ...(group === undefined ? {} : { group }), dryRun: globals.dryRun, reason: globals.reason, yes: globals.yes, breakGlass: globals.breakGlass };
}

/** The longest registered verb the command starts with (`cache warm` before `cache`). */
function resolveVerb(tokens: Token[], registry: ActionRegistry): { action: AnyAction; rest: Token[] } {
  const first = tokens[0]!.text.toLowerCase();
  const second = tokens[1] && !isFlag(tokens[1]) ? tokens[1].text.toLowerCase() : undefined;
  if (second !== undefined) {
    const action = registry.get(`${first} ${second}`);
    if (action) return { action, rest: tokens.slice(2) };
  }
  const action = registry.get(first);
  if (action) return { action, rest: tokens.slice(1) };
  throw unknownVerb(first, second, registry.names());
}

/** `unknown command 'rolback' — did you mean 'rollback'? Try 'help'.` */
export function unknownVerb(first: string, second: string | undefined, names: readonly string[]): UserError {
  const single = names.filter((n) => !n.includes(' '));
  const double = names.filter((n) => n.includes(' '));
  const group = double.filter((n) => n.startsWith(`${first} `));
  let typed = first;
  let suggestions = suggest(first, single);
  if (second !== undefined && (group.length > 0 || suggestions.length === 0)) {
    const pair = suggest(`${first} ${second}`, double);
    if (pair.length > 0 || group.length > 0) {
      typed = `${first} ${second}`;
      suggestions = pair;
    }
  }
  if (suggestions.length === 0 && second === undefined) suggestions = suggest(first, double);
  const shown = shorten(typed, 40);
  if (suggestions.length > 0) {
    return new UserError(`unknown command '${shown}' — ${didYouMean(suggestions)} Try 'help'.`, 'unknown_command');
  }
  if (group.length > 0) {
    const subs = group.map((n) => n.slice(first.length + 1)).join(', ');
    return new UserError(`unknown command '${shown}' — ${first} takes one of: ${subs}. Try 'help'.`, 'unknown_command');
  }
  return new UserError(`unknown command '${shown}' — try 'help'`, 'unknown_command');
}

function isFlag(token: Token): boolean {
  return !token.quoted && /^(--?|[—–])[A-Za-z]/.test(token.text);
}

/** `--to-revision=3` → to-revision, 3. A leading dash that autocorrect made long (—env) still counts. */
function splitFlag(text: string): { name: string; inline?: string } {
  const body = text.replace(/^(--?|[—–])/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? { name: body } : { name: body.slice(0, eq), inline: body.slice(eq + 1) };
}

function unknownFlag(typed: string, action: AnyAction): string {
  const own = [...argSpec(action).flags.keys()];
  const name = typed.replace(/=.*$/, '').replace(/^(--?|[—–])/, '');
  const offered = GLOBAL_FLAGS.filter((g) => !g.emergency);
  const hint = didYouMean(suggest(name, [...own, ...offered.map((g) => g.name)]).map((s) => `--${s}`));
  const globals = offered.map((g) => `--${g.name}`).join(', ');
  const takes = own.length
    ? `${action.name} takes ${own.map((f) => `--${f}`).join(', ')} and the global ${globals}`
    : `${action.name} takes only the global ${globals}`;
  return `unknown flag '${shorten(typed, 40).replace(/=.*$/, '')}' — ${hint ? `${hint} ` : ''}${takes}`;
}

/** A raw word as the kind says: strict, so `5x` is not 5 and `maybe` is not a boolean. */
function convert(raw: string, slot: Slot, catalog: Catalog): unknown {
  const got = `got '${shorten(raw, 40)}'`;
  if (slot.choices && !slot.choices.includes(raw)) {
    throw new UserError(`${slot.label} must be one of ${slot.choices.join(', ')}; ${got}`, 'invalid_choice');
  }
  switch (slot.kind) {
    case 'service': {
      const known = Object.keys(catalog.services);
      if (known.includes(raw)) return raw;
      const hint = didYouMean(suggest(raw, known));
      throw new UserError(
        `unknown service '${shorten(raw, 40)}' — ${hint ? `${hint} Known` : 'known'} services: ${known.join(', ')}`,
        'unknown_service',
      );
    }
    case 'group': {
      const known = Object.keys(catalog.groups);
      if (known.includes(raw)) return raw;
      const hint = didYouMean(suggest(raw, known));
      throw new UserError(`unknown group '${shorten(raw, 40)}' — ${hint ? `${hint} Known` : 'known'} groups: ${known.join(', ') || 'none in the catalog'}`, 'unknown_group');
    }
    case 'int': {
      const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value)) throw new UserError(`${slot.label} must be a whole number, ${got}`, 'invalid_int');
      return value;
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined || ms < 1000 || ms % 1000 !== 0) throw new UserError(`${slot.label} must be a duration like 30s, 10m or 2h, ${got}`, 'invalid_duration');
      return Math.floor(ms / 1000);
    }
    case 'boolean': {
      const value = BOOLEAN_WORDS.get(raw.toLowerCase());
      if (value === undefined) throw new UserError(`${slot.label} must be on, off, true or false; ${got}`, 'invalid_boolean');
      return value;
    }
    case 'string':
      return raw;
  }
}
