import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseCatalog } from '../../src/config/catalog.js';
import { teamsTenantsOf } from '../../src/platforms/teams/platform.js';

/** The catalog's Teams ids: team and tenant ids are checked when the catalog loads, with errors that say what to write. */

const shipped = readFileSync('config/catalog.yaml', 'utf8');
const TENANT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

function load(edit: (raw: Record<string, any>) => void) {
  const raw = parse(shipped);
  edit(raw);
  return parseCatalog(stringify(raw), 'catalog.yaml');
}

describe('the Teams tenant allow-list (platforms.teams.tenants)', () => {
  it('is empty in the shipped catalog: only the tenant the bot was first installed in', () => {
    expect(teamsTenantsOf(parseCatalog(shipped, 'catalog.yaml'))).toEqual([]);
  });

  it('is empty when the catalog has no platforms section', () => {
    expect(teamsTenantsOf(load((raw) => delete raw.platforms))).toEqual([]);
  });

  it('lists the tenants given, in lower case as Entra writes them', () => {
    expect(teamsTenantsOf(load((raw) => (raw.platforms.teams.tenants = [TENANT.toUpperCase()])))).toEqual([TENANT]);
  });

  it('refuses a tenant that is not a GUID, naming where it is', () => {
    expect(() => load((raw) => (raw.platforms.teams.tenants = ['contoso.onmicrosoft.com']))).toThrow(
      /platforms\.teams\.tenants\.0.*must be a tenant id \(a GUID/,
    );
  });

  it('refuses an unknown key under platforms.teams', () => {
    expect(() => load((raw) => (raw.platforms.teams.tennants = [TENANT]))).toThrow(/platforms\.teams.*tennants/);
  });
});

describe('Teams role members', () => {
  it('refuses a team given by name, saying where team ids come from', () => {
    expect(() => load((raw) => (raw.policy.roles.sre.teams.teams = ['Maestro SRE']))).toThrow(
      /policy\.roles\.sre\.teams\.teams\.0.*must be a team id \(19:…@thread\.tacv2, from the team's "Get link to team"\) or the team's AAD group id/,
    );
  });

  it('refuses a tenant under roles that is not a GUID', () => {
    expect(() => load((raw) => (raw.policy.roles.sre.teams.tenants = ['contoso']))).toThrow(/policy\.roles\.sre\.teams\.tenants\.0.*must be a tenant id/);
  });

  it('refuses "*" for Teams members: only the console has "anyone"', () => {
    expect(() => load((raw) => (raw.policy.roles.sre.teams.users = ['*']))).toThrow(/'\*' is allowed for console users only/);
  });
});
