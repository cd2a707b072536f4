import { describe, expect, it } from 'vitest';
import { AuthType } from '@microsoft/agents-hosting';
import { authConfiguration } from '../../src/platforms/teams/auth-settings.js';
import { TeamsEnvSchema, teamsConfigFrom } from '../../src/platforms/teams/index.js';
import { ConfigError } from '../../src/config/env.js';

const appId = '6f1c2a4e-8d3b-4c7a-9e21-0b5d7f3a1c90';
const tenant = '0d9a4c1e-5b7f-4e2a-8c3d-6f1b2a9e7d40';

describe('Teams configuration', () => {
  it('is off when nothing is set', () => {
    expect(teamsConfigFrom(TeamsEnvSchema.parse({}))).toBeUndefined();
  });

  it('is on, authenticated, with an app id and password', () => {
    expect(teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppId: appId, MicrosoftAppPassword: 's3cret' }))).toEqual({
      appId,
      appPassword: 's3cret',
      appType: 'MultiTenant',
      tenantId: undefined,
      unauthenticated: false,
    });
  });

  it('refuses to start with an empty app id, which would turn authentication off', () => {
    expect(() => teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppPassword: 's3cret' }))).toThrow(/MicrosoftAppId is empty/);
  });

  it('runs unauthenticated only when the development flag says so', () => {
    expect(teamsConfigFrom(TeamsEnvSchema.parse({ TEAMS_ALLOW_UNAUTHENTICATED: '1' }))).toMatchObject({ appId: '', unauthenticated: true });
  });

  it('refuses the development flag next to a real app id', () => {
    expect(() => teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppId: appId, MicrosoftAppPassword: 'x', TEAMS_ALLOW_UNAUTHENTICATED: '1' }))).toThrow(ConfigError);
  });

  it('needs a tenant for a single-tenant app', () => {
    expect(() => teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppId: appId, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }))).toThrow(/MicrosoftAppTenantId/);
    expect(teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppId: appId, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: tenant }))?.tenantId).toBe(tenant);
  });

  it('refuses an app id that is not a GUID', () => {
    expect(TeamsEnvSchema.safeParse({ MicrosoftAppId: 'maestro-bot' }).success).toBe(false);
  });

  it('maps an Azure Bot registration onto the Agents SDK: client secret, the Bot Framework tenant for a multi-tenant app, issuer checked', () => {
    const config = teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppId: appId, MicrosoftAppPassword: 's3cret' }))!;
    expect(authConfiguration(config)).toEqual({ clientId: appId, clientSecret: 's3cret', authType: AuthType.ClientSecret, validateIssuer: true });
  });

  it("maps a single-tenant app's tenant, and a user-assigned managed identity, which has no secret", () => {
    const single = teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppId: appId, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: tenant }))!;
    expect(authConfiguration(single)).toMatchObject({ tenantId: tenant, authType: AuthType.ClientSecret });
    const msi = teamsConfigFrom(TeamsEnvSchema.parse({ MicrosoftAppId: appId, MicrosoftAppType: 'UserAssignedMsi', MicrosoftAppTenantId: tenant }))!;
    expect(authConfiguration(msi)).toEqual({ clientId: appId, tenantId: tenant, authType: AuthType.UserManagedIdentity, validateIssuer: true });
  });
});
