import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createHelpAction, type HelpArgs } from '../src/verbs/help/help.js';
import { page } from '../src/verbs/page/page.js';
import { rollback } from '../src/verbs/rollback/rollback.js';
import { statuspageActions } from '../src/verbs/statuspage/statuspage.js';
import { loadCatalog } from '../src/config/catalog.js';
import type { ActionContext } from '../src/core/action.js';
import { UserError } from '../src/core/errors.js';
import { parseCommand } from '../src/core/grammar.js';
import { ActionRegistry } from '../src/core/registry.js';
import type { Message } from '../src/core/message.js';
import { grammarRegistry } from './fixtures/grammar-actions.js';

const catalog = loadCatalog('config/catalog.yaml');

/** help over `registry` (the grammar fixtures by default), run with `ports` as the handler would pass them. */
function setup(registry: ActionRegistry = grammarRegistry(), ports: Record<string, unknown> = {}) {
  registry.register(createHelpAction(registry));
  const ctx: ActionContext = {
    requestId: 'req-1',
    actor: { id: 'U1', name: 'ana', platform: 'console' },
    env: catalog.defaults.env,
    catalog,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    ports,
  };
  /** Parses the command as a user would type it, then runs help with what the grammar produced. */
  const help = async (text: string): Promise<Message> => {
    const parsed = parseCommand(text, { registry, catalog });
    expect(parsed.verb).toBe('help');
    return (await parsed.action.execute(ctx, parsed.args as HelpArgs, async () => {})).message;
  };
  return { registry, help };
}

const fieldLabels = (message: Message) => (message.fields ?? []).map((f) => f.label);
/** A verb's help lists its arguments as table rows: [usage, meaning]. */
const argumentRows = (message: Message) => message.table?.rows ?? [];

describe('help', () => {
  it('lists every registered verb with its summary, in registration order', async () => {
    const { registry, help } = setup();
    const message = await help('help');
    expect(fieldLabels(message)).toEqual(registry.names());
    expect(message.fields).toContainEqual({ label: 'rollback', value: 'Roll a deployment back to an earlier revision' });
  });

  it('lists nothing that is not registered', async () => {
    const { help } = setup();
    const message = await help('help');
    expect(fieldLabels(message)).not.toContain('restart');
    expect(JSON.stringify(message)).not.toContain('restart');
  });

  it('describes the global flags once, with the catalog environments and default', async () => {
    const { help } = setup();
    const message = await help('help');
    expect(message.table?.columns.map((c) => c.header)).toEqual(['Every command also takes', 'Meaning']);
    const flags = argumentRows(message).map((row) => row[0]);
    for (const flag of ['--env ENV', '--dry-run', '--reason "text"', '--yes (-y)']) expect(flags).toContain(flag);
    expect(argumentRows(message).find((row) => row[0] === '--env ENV')?.[1]).toContain('one of prod, staging, dev; default prod');
  });

  it('is read-only', () => {
    const { registry } = setup();
    expect(registry.get('help')?.risk).toBe('read');
  });

  it('answers /maestro help like help', async () => {
    const { help } = setup();
    expect((await help('/maestro help')).title).toBe('maestro commands');
  });

  it('shows the usage of one verb', async () => {
    const { help } = setup();
    const message = await help('help rollback');
    expect(message.title).toBe('rollback: Roll a deployment back to an earlier revision');
    expect(message.text).toBe('Usage: rollback <service> [--to-revision N] [--via k8s|github]');
  });

  it('describes each positional and flag of the verb', async () => {
    const { help } = setup();
    const message = await help('help rollback');
    expect(message.table?.columns.map((c) => c.header)).toEqual(['Argument', 'Meaning']);
    expect(argumentRows(message)).toContainEqual(['<service>', 'the service to roll back']);
    expect(argumentRows(message)).toContainEqual(['--to-revision N', 'the revision to return to']);
    expect(argumentRows(message)).toContainEqual(['--via k8s|github', 'how to roll back']);
  });

  it('lists the choices of a positional and marks an optional one', async () => {
    const { help } = setup();
    expect(argumentRows(await help('help statuspage open'))).toContainEqual(['minor|major|critical', 'how bad (one of: minor, major, critical)']);
    expect(argumentRows(await help('help status'))).toContainEqual(['[<service>]', 'one service (default: all) (optional)']);
  });

  it("shows the verb's examples", async () => {
    const { help } = setup();
    const message = await help('help rollback');
    expect(message.code).toBe('rollback maestro-orchestrator\nrollback maestro-orchestrator --to-revision 6 --env staging');
  });

  it('points to the global flags instead of repeating them on every verb', async () => {
    const { help } = setup();
    expect((await help('help rollback')).footer).toMatch(/ Every command also takes --env ENV --dry-run --reason "text" --yes.* \(see 'help'\)\.$/);
  });

  it('explains a two-word verb', async () => {
    const { help } = setup();
    const message = await help('help cache warm');
    expect(message.text).toBe('Usage: cache warm <service> [--coordinator X] [--items N]');
  });

  it('explains itself', async () => {
    const { help } = setup();
    expect((await help('help help')).text).toBe('Usage: help [<verb>] [<word>]');
  });

  it('answers an unknown verb with the did-you-mean error', async () => {
    const { help } = setup();
    await expect(help('help rolback')).rejects.toThrow(new UserError("unknown command 'rolback' — did you mean 'rollback'? Try 'help'.", 'unknown_command'));
  });

  it('answers a mistyped two-word verb with the did-you-mean error', async () => {
    const { help } = setup();
    await expect(help('help cache wram')).rejects.toThrow("unknown command 'cache wram' — did you mean 'cache warm'? Try 'help'.");
  });

  it('does not take noise after a one-word verb as help for it', async () => {
    const { help } = setup();
    await expect(help('help rollback now')).rejects.toThrow(
      "unknown command 'rollback now' — did you mean 'rollback'? Try 'help rollback'.",
    );
  });

  it('rejects a third word as too many arguments', () => {
    const { registry } = setup();
    expect(() => parseCommand('help cache warm now', { registry, catalog })).toThrow(/^too many arguments for help: 'now'/);
  });

  it('notes whether a verb changes things', async () => {
    const { help } = setup();
    expect((await help('help logs')).footer).toMatch(/^Read-only: changes nothing\. /);
    expect((await help('help rollback')).footer).toMatch(/^High risk: use --dry-run/);
  });
});

describe('help in a deployment without every credential', () => {
  /** help over the shipped verbs that need credentials, with the ports main.ts would build from them. */
  const shipped = (ports: Record<string, unknown>) => setup(new ActionRegistry([rollback, page, ...statuspageActions]), ports).help;
  const fieldValue = (message: Message, label: string) => message.fields?.find((f) => f.label === label)?.value;
  const argumentMeaning = (message: Message, usage: string) => argumentRows(message).find((row) => row[0] === usage)?.[1];

  it('marks statuspage, page and rollback --via github as not available here, and says what to set', async () => {
    const message = await shipped({})('help');
    for (const verb of ['statuspage open', 'statuspage update', 'statuspage resolve']) {
      expect(fieldValue(message, verb)).toContain('Not available here: the status page is not configured (set STATUSPAGE_PAGE_ID and STATUSPAGE_API_KEY).');
    }
    expect(fieldValue(message, 'page')).toContain('Not available here: PagerDuty is not configured');
    expect(fieldValue(message, 'rollback')).toContain('Not available here with --via github: the GitHub rollback needs GITHUB_TOKEN');
  });

  it('marks nothing when every credential is configured', async () => {
    const message = await shipped({ statuspage: {}, pager: {}, github: {} })('help');
    expect(JSON.stringify(message)).not.toContain('Not available here');
  });

  it("shows a z.enum flag's choices from the schema: --via k8s|github, not a placeholder", async () => {
    const message = await shipped({ github: {} })('help rollback');
    expect(message.text).toBe('Usage: rollback <service> [--to-revision N] [--via k8s|github] [--image-tag T]');
    expect(argumentMeaning(message, '--via k8s|github')).toBe("k8s (default): kubectl rollout undo; github: dispatch the catalog's cd-rollback.yml workflow");
  });

  it('takes every description from the schema', async () => {
    const message = await shipped({ statuspage: {} })('help statuspage open');
    expect(argumentMeaning(message, '<service>')).toBe('the catalog service whose component is affected');
    expect(argumentMeaning(message, '--impact none|minor|major|critical')).toBe('how bad it is for users (default minor)');
    expect(argumentMeaning(message, '--body "..."')).toBe("the update's text (default: the catalog's template)");
  });

  it('shows a flag the schema requires without brackets, and says it is required', async () => {
    const message = await shipped({ statuspage: {} })('help statuspage update');
    expect(message.text).toBe(
      'Usage: statuspage update <incident> --status investigating|identified|monitoring|resolved [--impact none|minor|major|critical] [--body "..."]',
    );
    expect(argumentMeaning(message, '--status investigating|identified|monitoring|resolved')).toBe('where the incident stands now (required)');
  });

  it("says in one verb's help what of it cannot run here", async () => {
    const message = await shipped({})('help rollback');
    expect(message.text).toContain('Not available here with --via github: the GitHub rollback needs GITHUB_TOKEN');
  });
});
