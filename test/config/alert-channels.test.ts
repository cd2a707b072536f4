import { describe, expect, it } from 'vitest';
import { loadCatalog, parseCatalog } from '../../src/config/catalog.js';
import { problemsOf, SHIPPED_CATALOG, shippedWith } from '../support/catalog-fixtures.js';

const SHIPPED = SHIPPED_CATALOG;

function withAlertChannels(alertChannels: unknown): string {
  return shippedWith((raw) => {
    if (alertChannels === undefined) delete raw.defaults.alertChannels;
    else raw.defaults.alertChannels = alertChannels;
  });
}

describe('catalog defaults.alertChannels', () => {
  it('ships the Maestro pager channels as the default for alerts no service claims', () => {
    expect(loadCatalog(SHIPPED).defaults.alertChannels).toEqual({ slack: ['#maestro-pager'], teams: ['Maestro Incidents'] });
  });

  it('may be left out, leaving no default', () => {
    expect(parseCatalog(withAlertChannels(undefined)).defaults.alertChannels).toBeUndefined();
  });

  it('takes one platform alone, the other defaulting to no channel', () => {
    expect(parseCatalog(withAlertChannels({ teams: ['Ops Alerts'] })).defaults.alertChannels).toEqual({ slack: [], teams: ['Ops Alerts'] });
  });

  it('rejects a single channel where a list is expected, naming its path', () => {
    expect(problemsOf(withAlertChannels({ slack: '#maestro-pager' }))).toEqual([expect.stringMatching(/^defaults\.alertChannels\.slack: .*expected array/)]);
  });

  it('rejects a platform the bot does not post alerts on, naming its path', () => {
    expect(problemsOf(withAlertChannels({ slack: ['#maestro-pager'], discord: ['alerts'] }))).toEqual(['defaults.alertChannels: unknown key discord']);
  });

  it('rejects an empty channel name, naming its path', () => {
    expect(problemsOf(withAlertChannels({ slack: [''] }))).toEqual([expect.stringMatching(/^defaults\.alertChannels\.slack\.0: /)]);
  });

  it('rejects a block that names no channel at all, saying how to have no default', () => {
    expect(problemsOf(withAlertChannels({ slack: [], teams: [] }))).toEqual([
      'defaults.alertChannels: must name at least one slack or teams channel (leave alertChannels out to have no default)',
    ]);
  });
});
