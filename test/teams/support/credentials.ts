import type { TeamsConfig } from '../../../src/platforms/teams/config.js';
import { APP_ID } from './activities.js';

/**
 * The bot's Teams registration in tests: a multi-tenant app with a client secret, as an Azure
 * Bot is configured. Its outgoing token comes from the fake Entra at login.microsoftonline.com
 * (test/fakes/microsoft-login.ts) through MSAL, as in production.
 */
export function teamsTestConfig(): TeamsConfig {
  return { appId: APP_ID, appPassword: 'test-client-secret', appType: 'MultiTenant', unauthenticated: false };
}
