import { describe, expect, it } from 'vitest';
import { alertmanagerAuthorized } from '../../src/http/webhooks/index.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe("Alertmanager's http_config credentials", () => {
  const auth = { basic: { user: 'alertmanager', password: 's3cret-pass' } };

  it('accepts the configured basic credentials', () => {
    expect(alertmanagerAuthorized(basic('alertmanager', 's3cret-pass'), auth)).toBe(true);
  });

  it('refuses a wrong basic password', () => {
    expect(alertmanagerAuthorized(basic('alertmanager', 's3cret-passX'), auth)).toBe(false);
  });

  it('refuses a bearer token when only basic auth is configured', () => {
    expect(alertmanagerAuthorized('Bearer s3cret-pass', auth)).toBe(false);
  });

  it('refuses basic credentials when only a bearer token is configured', () => {
    expect(alertmanagerAuthorized(basic('alertmanager', 'token-0123456789abcdef'), { token: 'token-0123456789abcdef' })).toBe(false);
  });

  it('refuses everything when nothing is configured', () => {
    expect(alertmanagerAuthorized('Bearer anything', {})).toBe(false);
  });
});
