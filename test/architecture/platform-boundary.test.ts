import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Adding a platform is its folder and one line in src/platforms/index.ts: nothing
 * outside src/platforms/ (and the composition root) may import a platform's folder
 * or name a platform in a string. Comments may, so the source is read token by token
 * with the TypeScript scanner (which knows what a comment is; a regex does not).
 */

const SRC = resolve(import.meta.dirname, '../../src');
const PLATFORMS = join(SRC, 'platforms');
const EXEMPT = new Set([join(SRC, 'app/compose.ts')]);
const platformFolders = readdirSync(PLATFORMS, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'shared')
  .map((e) => e.name);
const NAMES = new Set(['slack', 'teams']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The string literals of a TypeScript file, comments left out; template heads and tails included. */
function stringLiterals(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const found: string[] = [];
  // Brace depth at which each open template's `${` was entered, so its `}` is rescanned as template text.
  const templates: number[] = [];
  let depth = 0;
  let previous = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) {
      // After an operator or an opening bracket a slash starts a regular expression, not a division.
      if (!endsExpression(previous)) token = scanner.reScanSlashToken();
    }
    if (token === ts.SyntaxKind.OpenBraceToken) depth++;
    if (token === ts.SyntaxKind.CloseBraceToken) {
      if (templates.at(-1) === depth) {
        templates.pop();
        token = scanner.reScanTemplateToken(false);
      } else depth--;
    }
    if (token === ts.SyntaxKind.TemplateHead || token === ts.SyntaxKind.TemplateMiddle) templates.push(depth);
    if (
      token === ts.SyntaxKind.StringLiteral ||
      token === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
      token === ts.SyntaxKind.TemplateHead ||
      token === ts.SyntaxKind.TemplateMiddle ||
      token === ts.SyntaxKind.TemplateTail
    ) {
      found.push(scanner.getTokenValue());
    }
    previous = token;
  }
  return found;
}

function endsExpression(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.Identifier ||
    kind === ts.SyntaxKind.CloseParenToken ||
    kind === ts.SyntaxKind.CloseBracketToken ||
    kind === ts.SyntaxKind.CloseBraceToken ||
    kind === ts.SyntaxKind.NumericLiteral ||
    kind === ts.SyntaxKind.StringLiteral ||
    kind === ts.SyntaxKind.ThisKeyword
  );
}

/** Where a file breaks the boundary: imports of a platform's folder, and platform names in strings. */
function boundaryProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const literal of stringLiterals(text)) {
    if (NAMES.has(literal)) problems.push(`names the platform '${literal}'`);
    if (!literal.startsWith('.')) continue;
    const target = relative(PLATFORMS, resolve(dirname(file), literal));
    const folder = target.split('/')[0];
    if (!target.startsWith('..') && folder && platformFolders.includes(folder)) problems.push(`imports ${literal}`);
  }
  return problems;
}

describe('the platform boundary', () => {
  it('keeps platform folders and platform names inside src/platforms/ and the composition root', () => {
    const outside = sourceFiles(SRC).filter((f) => !f.startsWith(`${PLATFORMS}/`) && !EXEMPT.has(f));
    const problems = outside.flatMap((file) => boundaryProblems(file, readFileSync(file, 'utf8')).map((p) => `${relative(SRC, file)}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('sees what it is meant to see, and not comments', () => {
    const file = join(SRC, 'core/example.ts');
    const text = [
      "// the 'slack' platform, in a comment",
      "/* import x from '../platforms/teams/index.js' */",
      "import { a } from '../platforms/slack/config.js';",
      "import { b } from '../platforms/index.js';",
      'const re = /teams/g; const c = 4 / 2;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source under test, not a template
      "const t = `${a ? 'teams' : b} and ${`${'slack'}`}`;",
    ].join('\n');
    expect(boundaryProblems(file, text)).toEqual(["imports ../platforms/slack/config.js", "names the platform 'teams'", "names the platform 'slack'"]);
  });
});
