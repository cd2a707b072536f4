import { z } from 'zod';
import { ConfigError } from '../../core/config-error.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Teams variables, as a fragment main.ts merges into its EnvSchema
 * (`EnvSchema.extend(TeamsEnvShape)`). The names are the Azure Bot's (and the Bot
 * Framework SDK's, which the bot ran on before), so an existing deployment's configuration
 * works unchanged: authConfiguration() maps them onto the Agents SDK.
 */
export const TeamsEnvShape = {
  MicrosoftAppId: z.string().regex(GUID, "expected the bot's Microsoft App ID, a GUID (Azure Bot → Configuration)").optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi'], { error: "expected 'MultiTenant', 'SingleTenant' or 'UserAssignedMsi'" })
    .optional(),
  MicrosoftAppTenantId: z.string().regex(GUID, 'expected the Microsoft Entra tenant ID, a GUID').optional(),
  /**
   * Development only: run the Teams endpoint with no app id, which turns the Bot
   * Framework's JWT check off (the Bot Framework Emulator's local mode). Never in production.
   */
  TEAMS_ALLOW_UNAUTHENTICATED: z
    .enum(['0', '1', 'true', 'false'], { error: "expected '1' or '0'" })
    .transform((v) => v === '1' || v === 'true')
    .optional(),
} as const;

export const TeamsEnvSchema = z.object(TeamsEnvShape);
export type TeamsEnv = z.output<typeof TeamsEnvSchema>;

/** What the adapter needs, once main.ts has decided Teams is on. */
export interface TeamsConfig {
  /** Empty only in the explicit unauthenticated development mode. */
  appId: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';
  tenantId?: string;
  /** True when incoming requests are not authenticated (development mode). */
  unauthenticated: boolean;
}

/** `undefined` when Teams is not configured; a configuration that cannot authenticate is an error the operator can fix. */
export function teamsConfigFrom(env: TeamsEnv): TeamsConfig | undefined {
  const appType = env.MicrosoftAppType ?? 'MultiTenant';
  const devMode = env.TEAMS_ALLOW_UNAUTHENTICATED === true;
  if (!env.MicrosoftAppId) {
    if (devMode) return { appId: '', appType, unauthenticated: true };
    if (env.MicrosoftAppPassword || env.MicrosoftAppTenantId || env.MicrosoftAppType) {
      throw new ConfigError([
        'MicrosoftAppId is empty: without it the Bot Framework turns request authentication off. Set the Azure Bot\'s app id, or TEAMS_ALLOW_UNAUTHENTICATED=1 for local development only',
      ]);
    }
    return undefined;
  }
  if (devMode) {
    throw new ConfigError(['TEAMS_ALLOW_UNAUTHENTICATED=1 is set together with MicrosoftAppId: remove it, it is for local development without an app id']);
  }
  if (appType !== 'UserAssignedMsi' && !env.MicrosoftAppPassword) {
    throw new ConfigError([`MicrosoftAppId is set but MicrosoftAppPassword is not: create a client secret for the app (${appType}) and set it`]);
  }
  if (appType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
    throw new ConfigError([`MicrosoftAppType=${appType} needs MicrosoftAppTenantId: set the tenant the app is registered in`]);
  }
  return {
    appId: env.MicrosoftAppId,
    appPassword: env.MicrosoftAppPassword,
    appType,
    tenantId: env.MicrosoftAppTenantId,
    unauthenticated: false,
  };
}
