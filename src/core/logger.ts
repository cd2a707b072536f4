import { type DestinationStream, type Logger, pino } from 'pino';
import { maskSecretValues } from './secret-values.js';

/**
 * Paths pino blanks out wherever they appear in a log record. Secrets must never
 * reach a log line, a chat message or an audit record; these catch the usual carriers.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'signingSecret',
  '*.signingSecret',
  'apiKey',
  '*.apiKey',
  'routingKey',
  '*.routingKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'maestro-bot',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // The bot's own credentials, by value, wherever in a line they ended up (an echoed command, an error).
      hooks: { streamWrite: maskSecretValues },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // stderr, so that stdout stays the console adapter's conversation; synchronous,
    // because a bot logs little and the last lines before an exit matter most.
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
