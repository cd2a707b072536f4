import { type StartedBot, startBot } from '../../support/bot-process.js';
import { REDIS_URL } from '../../support/redis.js';
import { SIGNING_SECRET } from './slack-requests.js';

export type BotProcess = StartedBot;

/**
 * `npm start` with Slack configured, talking to the fake Web API at `slackApiUrl`;
 * `env` adds variables (SLACK_APP_TOKEN for Socket Mode). Resolves once the bot logs
 * that it started.
 */
export function startBotProcess(options: { prefix: string; slackApiUrl: string; env?: Record<string, string> }): Promise<BotProcess> {
  return startBot({
    REDIS_URL,
    REDIS_PREFIX: options.prefix,
    MAESTRO_SANDBOX_TICK: '50ms',
    SLACK_BOT_TOKEN: 'xoxb-process-test-0000',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    ...options.env,
  });
}
