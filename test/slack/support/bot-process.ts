import { type ChildProcess, spawn } from 'node:child_process';
import { botBaseEnv } from '../../support/bot-process.js';
import { REDIS_URL } from '../../support/redis.js';
import { SIGNING_SECRET } from './slack-requests.js';

export interface BotProcess {
  process: ChildProcess;
  /** The bot's listener, from its 'maestro-bot started' log line. */
  url: string;
  /** Everything the bot has logged so far. */
  stderr(): string;
}

/**
 * `npm start` with Slack configured, talking to the fake Web API at `slackApiUrl`;
 * `env` adds variables (SLACK_APP_TOKEN for Socket Mode). Resolves once the bot logs
 * that it started.
 */
export function startBotProcess(options: { prefix: string; slackApiUrl: string; env?: Record<string, string> }): Promise<BotProcess> {
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...botBaseEnv(),
      REDIS_URL,
      REDIS_PREFIX: options.prefix,
      MAESTRO_SANDBOX_TICK: '50ms',
      SLACK_BOT_TOKEN: 'xoxb-process-test-0000',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: options.slackApiUrl,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    bot.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const started = stderr.split('\n').find((line) => line.includes('"maestro-bot started"'));
      if (started) resolve({ process: bot, url: (JSON.parse(started) as { url: string }).url, stderr: () => stderr });
    });
    bot.once('exit', (code) => reject(new Error(`bot exited with ${code} before starting:\n${stderr}`)));
  });
}
