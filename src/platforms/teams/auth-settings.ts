import { type AuthConfiguration, AuthType } from '@microsoft/agents-hosting';
import type { TeamsConfig } from './config.js';

/**
 * (The SDK half: config.ts is read by every bot at start-up and must not load the SDK.)
 *
 * The Agents SDK's authentication settings for this registration. Our env names stay the Azure
 * Bot's (`MicrosoftApp*`): the SDK's own legacy loader reads only three of them, straight from
 * process.env, and leaves issuer validation off; here all four map explicitly, issuer checks on.
 */
export function authConfiguration(config: TeamsConfig): AuthConfiguration {
  const authType = config.appType === 'UserAssignedMsi' ? AuthType.UserManagedIdentity : AuthType.ClientSecret;
  return {
    clientId: config.appId,
    ...(config.appPassword ? { clientSecret: config.appPassword } : {}),
    // MultiTenant apps get their token from the Bot Framework's own tenant (the SDK's default, botframework.com).
    ...(config.appType !== 'MultiTenant' && config.tenantId ? { tenantId: config.tenantId } : {}),
    authType,
    validateIssuer: true,
  };
}
