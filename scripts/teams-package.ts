import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import JSZip from 'jszip';

/**
 * `npm run teams:package [-- --app-id <guid> --domain <host> --out <zip>]`: the Teams
 * app package to sideload or upload: manifest.json with the placeholders filled in,
 * and the two icons, at the root of a zip. The app id and domain default to
 * MicrosoftAppId and TEAMS_BOT_DOMAIN from the environment.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const manifestDir = fileURLToPath(new URL('../manifests/teams/', import.meta.url));

export async function buildTeamsPackage(options: { appId: string; domain: string; out: string }): Promise<string> {
  if (!GUID.test(options.appId)) throw new Error(`the app id must be the bot's Microsoft App ID (a GUID), got '${options.appId}': pass --app-id or set MicrosoftAppId`);
  if (!HOST.test(options.domain)) throw new Error(`the domain must be the bot's public host name without scheme or path, got '${options.domain}': pass --domain or set TEAMS_BOT_DOMAIN`);
  const template = readFileSync(join(manifestDir, 'manifest.json'), 'utf8');
  const manifest = template.replaceAll('{{MICROSOFT_APP_ID}}', options.appId).replaceAll('{{BOT_DOMAIN}}', options.domain);
  JSON.parse(manifest);
  const zip = new JSZip();
  zip.file('manifest.json', manifest);
  zip.file('color.png', readFileSync(join(manifestDir, 'color.png')));
  zip.file('outline.png', readFileSync(join(manifestDir, 'outline.png')));
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'app-id': { type: 'string' }, domain: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  const out = await buildTeamsPackage({
    appId: values['app-id'] ?? process.env.MicrosoftAppId ?? '',
    domain: values.domain ?? process.env.TEAMS_BOT_DOMAIN ?? '',
    out: values.out ?? 'dist/maestro-teams.zip',
  });
  process.stdout.write(`wrote ${out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`teams:package: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
