import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { createHelpAction } from '../../src/verbs/help/help.js';
import { kubernetesVerbs } from '../support/kubernetes-verbs.js';
import { cancel, jobs } from '../../src/verbs/jobs/jobs.js';
import { ActionRegistry } from '../../src/core/registry.js';

const manifestDir = fileURLToPath(new URL('../../manifests/teams/', import.meta.url));
const template = readFileSync(join(manifestDir, 'manifest.json'), 'utf8');
const APP_ID = '6f1c2a4e-8d3b-4c7a-9e21-0b5d7f3a1c90';
const filled = JSON.parse(template.replaceAll('{{MICROSOFT_APP_ID}}', APP_ID).replaceAll('{{BOT_DOMAIN}}', 'maestro.example.com')) as unknown;

/**
 * Microsoft's own schema for the manifest's `manifestVersion`, as @microsoft/app-manifest ships it
 * (build/json-schemas/teams/v<version>/MicrosoftTeams.schema.json, the same files published at
 * developer.microsoft.com/json-schemas/teams/): never a copy of ours, so a limit we forgot still counts.
 * The schemas are JSON Schema draft-04, hence ajv-draft-04; `strict: false` because Microsoft's files
 * carry keywords ajv's strict mode does not know, which ajv then ignores exactly as other validators do.
 */
const manifestVersion = (filled as { manifestVersion: string }).manifestVersion;
const schemaPath = createRequire(import.meta.url).resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`);
// Both are CommonJS whose module.exports is also their `default`: NodeNext types the default import as the module.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
const validateManifest = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/** Each schema error as "path: message", so a failure says which field and why. */
function schemaErrors(manifest: unknown): string[] {
  if (validateManifest(manifest)) return [];
  return (validateManifest.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/** The parts of the manifest these tests read beyond the schema; the schema has checked their shape. */
interface CheckedManifest {
  $schema: string;
  bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
  validDomains: string[];
}
const manifest = filled as CheckedManifest;

function pngSize(file: Buffer): { width: number; height: number; colourType: number } {
  expect(file.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20), colourType: file.readUInt8(25) };
}

describe('Teams app manifest', () => {
  it("validates against Microsoft's schema for its manifestVersion", () => {
    expect(schemaErrors(filled)).toEqual([]);
  });

  it('names the schema of the version it declares', () => {
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`);
  });

  it('would be refused by the schema with an eleventh command in a list', () => {
    // Proves the validator is live: Teams allows at most 10 commands per list.
    const eleven = structuredClone(manifest);
    const commands = eleven.bots[0]!.commandLists[0]!.commands;
    while (commands.length <= 10) commands.push({ ...commands[0]!, title: `extra${commands.length}` });
    expect(schemaErrors(eleven)).toEqual([expect.stringMatching(/^\/bots\/0\/commandLists\/0\/commands: must NOT have more than 10 items/)]);
  });

  it('is a bot for personal chats, teams and group chats, whose id is the app id', () => {
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.bots[0]!.botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(['maestro.example.com']);
  });

  it('lists only verbs the bot really has', () => {
    const registry = new ActionRegistry([...kubernetesVerbs, jobs, cancel]);
    registry.register(createHelpAction(registry));
    const verbs = new Set(registry.names());
    for (const list of manifest.bots[0]!.commandLists) for (const command of list.commands) expect(verbs).toContain(command.title);
  });

  it('ships a 192×192 colour icon and a 32×32 outline icon with transparency', () => {
    expect(pngSize(readFileSync(join(manifestDir, 'color.png')))).toMatchObject({ width: 192, height: 192 });
    expect(pngSize(readFileSync(join(manifestDir, 'outline.png')))).toEqual({ width: 32, height: 32, colourType: 6 });
  });
});

describe('npm run teams:package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-teams-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('zips the filled-in manifest and the two icons at the root', async () => {
    const out = join(dir, 'maestro-teams.zip');
    await promisify(execFile)('npx', ['tsx', 'scripts/teams-package.ts', '--app-id', APP_ID, '--domain', 'maestro.example.com', '--out', out]);
    const zip = await JSZip.loadAsync(readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packaged = JSON.parse(await zip.file('manifest.json')!.async('string')) as { id: string };
    expect(packaged.id).toBe(APP_ID);
    expect(schemaErrors(packaged)).toEqual([]);
  });

  it('refuses to package without a real app id', async () => {
    const run = promisify(execFile)('npx', ['tsx', 'scripts/teams-package.ts', '--app-id', '{{MICROSOFT_APP_ID}}', '--domain', 'maestro.example.com', '--out', join(dir, 'x.zip')]);
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining("Microsoft App ID (a GUID)") });
  });
});
