import { z } from 'zod';
import { ConfigError } from '../../core/config-error.js';

/**
 * The Slack variables, as a fragment main.ts merges into its EnvSchema
 * (`EnvSchema.extend(SlackEnvShape)`). Slack is enabled when both the bot token
 * and the signing secret are set; the app-level token switches to Socket Mode.
 */
export const SlackEnvShape = {
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-[A-Za-z0-9-]+$/, "expected a bot token starting with 'xoxb-' (OAuth & Permissions page)")
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^[0-9a-f]{16,}$/i, 'expected the hex signing secret from the Basic Information page')
    .optional(),
  /** App-level token with connections:write: Socket Mode, for teams without a public URL. */
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-[A-Za-z0-9-]+$/, "expected an app-level token starting with 'xapp-' (Basic Information → App-Level Tokens)")
    .optional(),
  /** Web API base URL; only tests point it elsewhere (a fake Slack). */
  SLACK_API_URL: z.url({ error: 'expected a URL ending in /api/' }).optional(),
  /**
   * The only place a request's response_url may point (default https://hooks.slack.com/):
   * the URL comes in a request body, so the bot POSTs nowhere else. Only tests point it at a fake.
   */
  SLACK_RESPONSE_URL_BASE: z
    .url({ error: 'expected a URL ending in /, such as https://hooks.slack.com/' })
    .refine((url) => url.endsWith('/'), { error: 'expected a URL ending in /, such as https://hooks.slack.com/' })
    .optional(),
} as const;

export const SlackEnvSchema = z.object(SlackEnvShape);
export type SlackEnv = z.output<typeof SlackEnvSchema>;

/** What the adapter needs, once main.ts has decided Slack is on. */
export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
  /** Where a request's response_url may point; default https://hooks.slack.com/. */
  responseUrlBase?: string;
}

/** `undefined` when Slack is not configured; half a configuration is an error the operator can fix. */
export function slackConfigFrom(env: SlackEnv): SlackConfig | undefined {
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret } = env;
  if (!botToken && !signingSecret) {
    if (env.SLACK_APP_TOKEN) throw new ConfigError(['SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not: set both to enable Slack']);
    return undefined;
  }
  if (!botToken) throw new ConfigError(['SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: set both to enable Slack, or neither']);
  if (!signingSecret) throw new ConfigError(['SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: set both to enable Slack, or neither']);
  return { botToken, signingSecret, appToken: env.SLACK_APP_TOKEN, apiUrl: env.SLACK_API_URL, responseUrlBase: env.SLACK_RESPONSE_URL_BASE };
}
