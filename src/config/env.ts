import { z } from 'zod';
import { deepFreeze } from './catalog.js';
import { ConfigError } from '../core/config-error.js';

/**
 * Every environment variable the bot reads, parsed once in main.ts and passed down.
 * Nothing else reads process.env. .env.example lists the same variables.
 */

const PORT_EXPECTED = 'expected a port number 0-65535 (0: any free port)';
const port = z.coerce.number({ error: PORT_EXPECTED }).int(PORT_EXPECTED).min(0, PORT_EXPECTED).max(65535, PORT_EXPECTED);

const flag = z
  .enum(['0', '1', 'true', 'false', ''], { error: "expected '1' or '0'" })
  .transform((v) => v === '1' || v === 'true');

const duration = z.string().regex(/^\d+(ms|s|m|h)$/, "expected a duration such as '30s', '10m' or '1h'");

export const EnvSchema = z.object({
  PORT: port.default(3000),
  /** A worker's own listener: only /health/* and /metrics, for its probes and scrapes. */
  HEALTH_PORT: port.default(3001),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'expected a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - or _')
    .default('maestro'),
  MAESTRO_CATALOG: z.string().min(1).default('config/catalog.yaml'),
  MAESTRO_ROLE: z.enum(['all', 'web', 'worker'], { error: "expected 'all', 'web' or 'worker'" }).default('all'),
  MAESTRO_SANDBOX: flag.default(false),
  /** Pace of the sandbox's simulated rollouts. */
  MAESTRO_SANDBOX_TICK: duration.default('500ms'),
  WORKER_CONCURRENCY: z.coerce.number({ error: 'expected a whole number 1-50' }).int().min(1).max(50).default(4),
  /** How often a job's chat message may be edited, per message. */
  PROGRESS_INTERVAL: duration.default('1s'),
  /** A client has this long from a request's first byte to the end of its headers (408 past it). */
  HTTP_HEADERS_TIMEOUT: duration.default('5s'),
  /** ... and this long to the end of its body: a slow sender cannot hold a connection. */
  HTTP_REQUEST_TIMEOUT: duration.default('10s'),
  /** Open connections the listener accepts at once; beyond, new ones are closed. */
  HTTP_MAX_CONNECTIONS: z.coerce.number({ error: 'expected a whole number 1-100000' }).int().min(1).max(100_000).default(1000),
});

export type Env = Readonly<z.output<typeof EnvSchema>>;

export { ConfigError };

/**
 * Parses the environment with the core schema, or with one that adapters extended
 * (`EnvSchema.extend(SlackEnvShape)`), so every variable is checked in one place.
 */
export function loadEnv<S extends z.ZodType<object> = typeof EnvSchema>(
  source: Record<string, string | undefined> = process.env,
  schema: S = EnvSchema as unknown as S,
): Readonly<z.output<S>> {
  // An empty value means "not set": .env files often carry `KEY=` lines.
  const defined = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(defined);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const got = defined[key];
        // Echo what was given, unless it may hold a credential (URLs can carry passwords).
        const echo = got === undefined || /SECRET|TOKEN|PASSWORD|KEY|URL/i.test(key) ? '' : `, got '${got}'`;
        return `${key}: ${issue.message}${echo}`;
      }),
    );
  }
  return deepFreeze(result.data);
}
