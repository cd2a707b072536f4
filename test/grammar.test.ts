import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/config/catalog.js';
import { editDistance, suggest } from '../src/core/did-you-mean.js';
import { UserError } from '../src/core/errors.js';
import { parseCommand, tokenize } from '../src/core/grammar.js';
import { ActionRegistry } from '../src/core/registry.js';
import { usage } from '../src/core/usage.js';
import { rollback as shippedRollback } from '../src/verbs/rollback/rollback.js';
import { statuspageActions } from '../src/verbs/statuspage/statuspage.js';
import { cacheWarm, calls, flag, grammarRegistry, logs, rollback, statusPageOpen, status } from './fixtures/grammar-actions.js';

const catalog = loadCatalog('config/catalog.yaml');
const registry = grammarRegistry();
const parse = (text: string) => parseCommand(text, { registry, catalog });

/** The one-line UserError a command gets. */
function errorOf(text: string): string {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`'${text}' parsed, but an error was expected`);
}

describe('tokenize', () => {
  it('splits on any run of whitespace', () => {
    expect(tokenize('  rollback\tmaestro-orchestrator \n --env  prod ')).toEqual(['rollback', 'maestro-orchestrator', '--env', 'prod']);
  });

  it('keeps double-quoted text as one word', () => {
    expect(tokenize('page x "two words"')).toEqual(['page', 'x', 'two words']);
  });

  it('keeps single-quoted text as one word, backslashes and all', () => {
    expect(tokenize("logs x --grep 'a\\.b \"c\"'")).toEqual(['logs', 'x', '--grep', 'a\\.b "c"']);
  });

  it('unescapes \\" and \\\\ inside double quotes and keeps other backslashes', () => {
    expect(tokenize('say "she said \\"hi\\" \\\\ a\\.b"')).toEqual(['say', 'she said "hi" \\ a\\.b']);
  });

  it('keeps --flag=value as one word, with quotes inside it', () => {
    expect(tokenize('x --to-revision=3 --reason="two words"')).toEqual(['x', '--to-revision=3', '--reason=two words']);
  });

  it('keeps an empty quoted string as an empty word', () => {
    expect(tokenize('a "" b')).toEqual(['a', '', 'b']);
  });

  it('reads curly quotes from phones and Slack as double quotes', () => {
    expect(tokenize('page x “two words”')).toEqual(['page', 'x', 'two words']);
  });

  it('rejects an unterminated double quote', () => {
    expect(() => tokenize('page x "two words')).toThrow(
      new UserError('unterminated quote in: page x "two words — close the " quote', 'unterminated_quote'),
    );
  });

  it('rejects an unterminated single quote with a hint about apostrophes', () => {
    expect(() => tokenize("rollback x --reason it's broken")).toThrow(/^unterminated quote in: rollback x --reason it's broken — close the ' quote/);
  });
});

describe('parseCommand: verbs', () => {
  it('parses a verb with its positional and defaults the env to the catalog default', () => {
    const parsed = parse('rollback maestro-orchestrator');
    expect(parsed.verb).toBe('rollback');
    expect(parsed.action).toBe(rollback);
    expect(parsed.args).toEqual({ service: 'maestro-orchestrator', via: 'k8s' });
    expect(parsed).toMatchObject({ env: 'prod', service: 'maestro-orchestrator', dryRun: false, yes: false, reason: undefined });
  });

  it('strips a leading /maestro', () => {
    expect(parse('/maestro rollback maestro-orchestrator').verb).toBe('rollback');
  });

  it('strips a leading maestro', () => {
    expect(parse('maestro status').verb).toBe('status');
  });

  it('matches verbs case-insensitively, as phones capitalise the first word', () => {
    expect(parse('Rollback maestro-orchestrator').verb).toBe('rollback');
  });

  it('matches a two-word verb', () => {
    const parsed = parse('cache warm victor-coordinators --items 1000');
    expect(parsed.action).toBe(cacheWarm);
    expect(parsed.args).toEqual({ service: 'victor-coordinators', items: 1000 });
  });

  it('matches the longest registered verb: statuspage open is not status', () => {
    expect(parse('statuspage open maestro-orchestrator major "Elevated errors"').action).toBe(statusPageOpen);
  });

  it('accepts an optional positional left out', () => {
    const parsed = parse('status');
    expect(parsed.action).toBe(status);
    expect(parsed.args).toEqual({});
    expect(parsed.service).toBeUndefined();
  });

  it('accepts flags before positionals', () => {
    expect(parse('rollback --env dev maestro-orchestrator').args).toMatchObject({ service: 'maestro-orchestrator' });
  });
});

describe('parseCommand: flag kinds', () => {
  it('reads an int flag given as --name value', () => {
    expect(parse('rollback maestro-orchestrator --to-revision 3').args).toMatchObject({ toRevision: 3 });
  });

  it('reads an int flag given as --name=value', () => {
    expect(parse('rollback maestro-orchestrator --to-revision=3').args).toMatchObject({ toRevision: 3 });
  });

  it('reads an int positional', () => {
    expect(parse('scale maestro-orchestrator 5').args).toEqual({ service: 'maestro-orchestrator', replicas: 5 });
  });

  it.each([
    ['30s', 30],
    ['10m', 600],
    ['2h', 7200],
  ])('reads the duration %s as %i seconds', (text, seconds) => {
    expect(parse(`logs maestro-orchestrator --since ${text}`).args).toMatchObject({ since: seconds });
  });

  it('reads a string flag with a regex in quotes', () => {
    expect(parse('logs maestro-orchestrator --grep "ERROR|WARN .*timeout"').args).toMatchObject({ grep: 'ERROR|WARN .*timeout' });
  });

  it('takes a quoted value that starts with a dash as a value, not a flag', () => {
    expect(parse('logs maestro-orchestrator --grep "-v"').args).toMatchObject({ grep: '-v' });
  });

  it.each([
    ['on', true],
    ['off', false],
    ['true', true],
    ['false', false],
  ])('reads the boolean %s as %s', (text, value) => {
    expect(parse(`flag maestro-orchestrator CIRCUIT_BREAKER_ENABLED ${text}`).args).toMatchObject({ state: value });
  });

  it('reads a boolean flag as a bare switch', () => {
    expect(parse('flag maestro-orchestrator CIRCUIT_BREAKER_ENABLED on --restart').args).toMatchObject({ restart: true });
  });

  it('reads a boolean flag given as --name=off', () => {
    expect(parse('flag maestro-orchestrator CIRCUIT_BREAKER_ENABLED on --restart=off').args).toMatchObject({ restart: false });
  });

  it('accepts a value among the choices', () => {
    expect(parse('rollback maestro-orchestrator --via github').args).toMatchObject({ via: 'github' });
  });

  it('applies the schema defaults after parsing', () => {
    expect(parse('logs maestro-orchestrator').args).toMatchObject({ since: 600 });
  });
});

describe('parseCommand: global flags', () => {
  it('reads --env', () => {
    expect(parse('rollback maestro-orchestrator --env staging').env).toBe('staging');
  });

  it('reads --dry-run', () => {
    expect(parse('rollback maestro-orchestrator --dry-run').dryRun).toBe(true);
  });

  it('reads --reason "two words"', () => {
    expect(parse('rollback maestro-orchestrator --reason "bad deploy"').reason).toBe('bad deploy');
  });

  it('reads --reason="two words"', () => {
    expect(parse('rollback maestro-orchestrator --reason="bad deploy"').reason).toBe('bad deploy');
  });

  it('reads --yes', () => {
    expect(parse('rollback maestro-orchestrator --yes').yes).toBe(true);
  });

  it('reads -y as --yes', () => {
    expect(parse('rollback maestro-orchestrator -y').yes).toBe(true);
  });

  it('reads a dash that autocorrect lengthened (—env) as --env', () => {
    expect(parse('rollback maestro-orchestrator —env dev').env).toBe('dev');
  });

  it('keeps global flags out of the action args', () => {
    expect(parse('rollback maestro-orchestrator --env dev --dry-run --reason x -y').args).toEqual({ service: 'maestro-orchestrator', via: 'k8s' });
  });
});

const GLOBALS = '--env, --dry-run, --reason, --yes';
const SERVICES = 'maestro-orchestrator, maestro-premium-router, notification-agent, victor-coordinators';

describe('parseCommand: errors', () => {
  // [behaviour, command, the exact one-line error]
  it.each([
    ['rejects empty input', '   ', "no command given — try 'help'"],
    ['rejects /maestro with nothing after it', '/maestro', "no command given — try 'help'"],
    ['suggests the closest verb for a typo', 'rolback maestro-orchestrator', "unknown command 'rolback' — did you mean 'rollback'? Try 'help'."],
    ['suggests a verb from a swap of two letters', 'sacle maestro-orchestrator 3', "unknown command 'sacle' — did you mean 'scale'? Try 'help'."],
    ['suggests the verb an input is a unique prefix of', 'roll maestro-orchestrator', "unknown command 'roll' — did you mean 'rollback'? Try 'help'."],
    ['suggests a two-word verb for a typo in its second word', 'cache wram victor-coordinators', "unknown command 'cache wram' — did you mean 'cache warm'? Try 'help'."],
    ['lists the sub-commands of a two-word verb', 'statuspage explode', "unknown command 'statuspage explode' — statuspage takes one of: open, resolve. Try 'help'."],
    ['points to help for an unknown verb with nothing close', 'deploy maestro-orchestrator', "unknown command 'deploy' — try 'help'"],
    ['does not treat free text that mentions a verb as a command', 'can someone rollback maestro-orchestrator please', "unknown command 'can' — try 'help'"],
    ['names a missing positional', 'rollback', "rollback needs <service> — see 'help rollback'"],
    ['names every missing positional', 'scale', "scale needs <service> <replicas> — see 'help scale'"],
    ['rejects too many arguments', 'rollback maestro-orchestrator now', "too many arguments for rollback: 'now' (it takes <service>) — see 'help rollback'"],
    [
      'rejects an unknown flag, suggesting one and listing the verb flags',
      'rollback maestro-orchestrator --revision 3',
      `unknown flag '--revision' — did you mean '--to-revision'? rollback takes --to-revision, --via and the global ${GLOBALS} — see 'help rollback'`,
    ],
    [
      'rejects an unknown flag on a verb with no flags of its own',
      'scale maestro-orchestrator 3 --force',
      `unknown flag '--force' — scale takes only the global ${GLOBALS} — see 'help scale'`,
    ],
    ['rejects an unknown short flag', 'status -x', `unknown flag '-x' — status takes only the global ${GLOBALS} — see 'help status'`],
    ['rejects a flag named after an Object property', 'status --constructor', `unknown flag '--constructor' — status takes only the global ${GLOBALS} — see 'help status'`],
    ['rejects a flag missing its value at the end', 'rollback maestro-orchestrator --to-revision', "--to-revision needs a value, as in '--to-revision N' — see 'help rollback'"],
    ['rejects a flag followed by another flag instead of its value', 'rollback maestro-orchestrator --env --dry-run', "--env needs a value, as in '--env ENV' — see 'help rollback'"],
    ['rejects an empty --reason', 'rollback maestro-orchestrator --reason ""', `--reason needs a value, as in '--reason "text"' — see 'help rollback'`],
    ['rejects a flag given twice', 'rollback maestro-orchestrator --to-revision 3 --to-revision=4', "--to-revision is given twice; give it once — see 'help rollback'"],
    ['rejects --yes given twice as -y and --yes', 'rollback maestro-orchestrator -y --yes', "--yes is given twice; give it once — see 'help rollback'"],
    ['rejects a bad int in a flag, naming the flag', 'rollback maestro-orchestrator --to-revision three', "--to-revision must be a whole number, got 'three' — see 'help rollback'"],
    ['rejects a bad boolean', 'flag maestro-orchestrator CIRCUIT_BREAKER_ENABLED maybe', "<state> must be on, off, true or false; got 'maybe' — see 'help flag'"],
    ['rejects a bad boolean in a global switch', 'status --dry-run=maybe', "--dry-run must be on, off, true or false; got 'maybe' — see 'help status'"],
    [
      'rejects a positional value not among its choices, listing them',
      'statuspage open maestro-orchestrator huge "x"',
      "<impact> must be one of minor, major, critical; got 'huge' — see 'help statuspage open'",
    ],
    ['rejects a flag value not among the choices of its schema', 'rollback maestro-orchestrator --via helm', "--via must be one of k8s, github; got 'helm' — see 'help rollback'"],
    [
      'rejects an unknown service with a did-you-mean and the known services',
      'rollback maestro-orch',
      `unknown service 'maestro-orch' — did you mean 'maestro-orchestrator'? Known services: ${SERVICES} — see 'help rollback'`,
    ],
    ['rejects an unknown service with nothing close', 'rollback billing', `unknown service 'billing' — known services: ${SERVICES} — see 'help rollback'`],
    ['rejects an unknown env, listing the known ones', 'rollback maestro-orchestrator --env qa', "unknown env 'qa' — known envs: prod, staging, dev — see 'help rollback'"],
    [
      'rejects a mistyped env with a did-you-mean',
      'rollback maestro-orchestrator --env prdo',
      "unknown env 'prdo' — did you mean 'prod'? Known envs: prod, staging, dev — see 'help rollback'",
    ],
    [
      'rejects an env the named service does not run in',
      'rollback maestro-premium-router --env staging',
      "maestro-premium-router has no env 'staging' (it has: prod, dev) — see 'help rollback'",
    ],
    ['turns a zod lower bound into a line naming the flag', 'rollback maestro-orchestrator --to-revision 0', "--to-revision must be at least 1, got '0' — see 'help rollback'"],
    ['turns a zod upper bound into a line naming the positional', 'scale maestro-orchestrator 500', "<replicas> must be at most 50, got '500' — see 'help scale'"],
    ['turns a zod refinement into a line naming the positional', 'flag maestro-orchestrator breaker on', "<flag> must be an UPPER_CASE flag name, got 'breaker' — see 'help flag'"],
    ['turns a zod empty-string failure into a line', 'statuspage open maestro-orchestrator major ""', "<title> must not be empty, got '' — see 'help statuspage open'"],
    [
      'joins several zod failures into one line',
      'cache warm victor-coordinators --coordinator chat --items 0',
      "--coordinator must be a coordinator class name, got 'chat'; --items must be more than 0, got '0' — see 'help cache warm'",
    ],
  ])('%s', (_behaviour, command, message) => {
    expect(errorOf(command)).toBe(message);
  });

  it.each(['5x', '1e3', '0x10', '-', '2.5', ''])('rejects the int %j', (text) => {
    expect(errorOf(`scale maestro-orchestrator "${text}"`)).toBe(`<replicas> must be a whole number, got '${text}' — see 'help scale'`);
  });

  it.each(['10', '10min', '1w', 'm', '500ms', '1500ms'])('rejects the duration %j, naming the form expected', (text) => {
    expect(errorOf(`logs maestro-orchestrator --since ${text}`)).toBe(`--since must be a duration like 30s, 10m or 2h, got '${text}' — see 'help logs'`);
  });

  it('reads a duration flag by the one duration rule the catalog uses, days included, in whole seconds', () => {
    expect(parse('logs maestro-orchestrator --since 1d').args).toMatchObject({ since: 86_400 });
    expect(parse('logs maestro-orchestrator --since 90s').args).toMatchObject({ since: 90 });
  });

  it('rejects a command with an unterminated quote', () => {
    expect(errorOf('rollback maestro-orchestrator --reason "bad deploy')).toMatch(/^unterminated quote in: rollback /);
  });

  it('gives each kind of error a stable code', () => {
    expect(() => parse('rolback x')).toThrow(expect.objectContaining({ code: 'unknown_command' }));
    expect(() => parse('rollback nope')).toThrow(expect.objectContaining({ code: 'unknown_service' }));
  });

  it('runs neither plan nor execute while parsing, valid or not', () => {
    parse('scale maestro-orchestrator 3 --env dev -y');
    parse('rollback maestro-orchestrator --to-revision 2');
    expect(() => parse('rollback maestro-orchestrator --to-revision 0')).toThrow(UserError);
    expect(calls).toEqual([]);
  });
});

describe('usage', () => {
  it('shows positionals and flags, with schema choices for a flag without a placeholder', () => {
    expect(usage(rollback)).toBe('rollback <service> [--to-revision N] [--via k8s|github]');
  });

  it('shows positional choices, an optional positional and a bare boolean switch', () => {
    expect(usage(flag)).toBe('flag <service> <flag> <state> [--restart]');
    expect(usage(statusPageOpen)).toBe('statuspage open <service> minor|major|critical <title>');
    expect(usage(status)).toBe('status [<service>]');
    expect(usage(logs)).toBe('logs <service> [--since 10m] [--grep re]');
  });
});

describe('parseCommand: the shipped verbs, read from their schemas', () => {
  const shipped = new ActionRegistry([shippedRollback, ...statuspageActions]);
  const parseShipped = (text: string) => parseCommand(text, { registry: shipped, catalog });

  it('refuses a flag value outside its z.enum, naming the choices', () => {
    expect(() => parseShipped('rollback maestro-orchestrator --via helm')).toThrow(
      new UserError("--via must be one of k8s, github; got 'helm' — see 'help rollback'", 'invalid_choice'),
    );
    expect(() => parseShipped('statuspage open maestro-orchestrator --impact huge')).toThrow(
      "--impact must be one of none, minor, major, critical; got 'huge' — see 'help statuspage open'",
    );
  });

  it('passes a flag value inside its z.enum to the args', () => {
    expect(parseShipped('rollback maestro-orchestrator --via github --image-tag v2.7.3').args).toEqual({
      service: 'maestro-orchestrator',
      via: 'github',
      imageTag: 'v2.7.3',
    });
  });

  it('names a required flag left out as the flag the user must type, not as a <positional>', () => {
    expect(() => parseShipped('statuspage update inc1')).toThrow(
      new UserError("--status must be one of investigating, identified, monitoring, resolved — see 'help statuspage update'", 'invalid_arguments'),
    );
  });

  it('shows the choices of an enum flag in usage', () => {
    expect(usage(shippedRollback)).toBe('rollback <service> [--to-revision N] [--via k8s|github] [--image-tag T]');
  });
});

describe('did-you-mean', () => {
  it('counts a swap of adjacent letters as one edit', () => {
    expect(editDistance('sacle', 'scale')).toBe(1);
  });

  it('suggests nothing for a one-letter input', () => {
    expect(suggest('q', ['ack', 'logs', 'jobs'])).toEqual([]);
  });

  it('suggests every candidate tied for closest', () => {
    expect(suggest('tog', ['log', 'dog', 'jobs'])).toEqual(['log', 'dog']);
  });
});
