import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHelpAction } from '../../src/verbs/help/help.js';
import { kubernetesVerbs } from '../support/kubernetes-verbs.js';
import { cancel, jobs } from '../../src/verbs/jobs/jobs.js';
import { ActionRegistry } from '../../src/core/registry.js';

const manifestDir = fileURLToPath(new URL('../../manifests/teams/', import.meta.url));
const template = readFileSync(join(manifestDir, 'manifest.json'), 'utf8');
const APP_ID = '6f1c2a4e-8d3b-4c7a-9e21-0b5d7f3a1c90';
const filled = JSON.parse(template.replaceAll('{{MICROSOFT_APP_ID}}', APP_ID).replaceAll('{{BOT_DOMAIN}}', 'maestro.example.com')) as unknown;

// The required fields of the Teams app manifest schema v1.22 and their limits
// (https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json).
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const Command = z.strictObject({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) });
const Scope = z.enum(['personal', 'team', 'groupChat']);
const Manifest = z.object({
  $schema: z.literal('https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json'),
  manifestVersion: z.literal('1.22'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  id: guid,
  developer: z.object({ name: z.string().min(1).max(32), websiteUrl: z.url(), privacyUrl: z.url(), termsOfUseUrl: z.url() }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100).optional() }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  bots: z
    .array(
      z.object({
        botId: guid,
        scopes: z.array(Scope).min(1),
        commandLists: z.array(z.object({ scopes: z.array(Scope).min(1), commands: z.array(Command).min(1).max(10) })).max(2),
      }),
    )
    .length(1),
  validDomains: z.array(z.string().regex(/^[a-z0-9.*-]+$/i)).max(16),
});

function pngSize(file: Buffer): { width: number; height: number; colourType: number } {
  expect(file.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20), colourType: file.readUInt8(25) };
}

describe('Teams app manifest', () => {
  it('has every field the v1.22 schema requires, within its limits', () => {
    const result = Manifest.safeParse(filled);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('is a bot for personal chats, teams and group chats, whose id is the app id', () => {
    const manifest = Manifest.parse(filled);
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.bots[0]!.botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(['maestro.example.com']);
  });

  it('lists only verbs the bot really has', () => {
    const registry = new ActionRegistry([...kubernetesVerbs, jobs, cancel]);
    registry.register(createHelpAction(registry));
    const verbs = new Set(registry.names());
    for (const list of Manifest.parse(filled).bots[0]!.commandLists) for (const command of list.commands) expect(verbs).toContain(command.title);
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
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as { id: string };
    expect(manifest.id).toBe(APP_ID);
    expect(Manifest.safeParse(manifest).success).toBe(true);
  });

  it('refuses to package without a real app id', async () => {
    const run = promisify(execFile)('npx', ['tsx', 'scripts/teams-package.ts', '--app-id', '{{MICROSOFT_APP_ID}}', '--domain', 'maestro.example.com', '--out', join(dir, 'x.zip')]);
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining("Microsoft App ID (a GUID)") });
  });
});
