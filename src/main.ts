import { parseArgs } from 'node:util';
import { AppEnvSchema } from './app/app-env.js';
import { chooseCluster } from './app/cluster.js';
import { startupFailure, untilSignalled } from './app/process.js';
import { loadCatalog } from './config/catalog.js';
import { loadEnv } from './config/env.js';
import { createLogger } from './core/logger.js';
import { registerSecretValues, secretEnvValues } from './core/secret-values.js';
import { connectRedis } from './core/redis.js';
import { platformConfigsFrom } from './platforms/index.js';

/**
 * The process: read the configuration once, decide what this process is (role,
 * console or not, which cluster), and own the exit code — the only place that exits.
 * Everything that could stop start-up runs before the SDKs load (seconds under tsx),
 * so a refusal is immediate.
 */

async function main(): Promise<number> {
  const { values: cli } = parseArgs({
    options: { role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (cli.help) {
    process.stdout.write('usage: npm start [-- --role all|web|worker]   (configuration: see .env.example)\n');
    return 0;
  }
  // Listening for the stop signals from the start: a SIGTERM that arrives while the bot
  // is still starting then shuts it down cleanly once it has started, instead of killing it.
  const signalled = untilSignalled();
  const env = loadEnv({ ...process.env, ...(cli.role ? { MAESTRO_ROLE: cli.role } : {}) }, AppEnvSchema);
  // Before anything can log or reply: the bot's own credentials are hidden by value from here on.
  registerSecretValues(secretEnvValues(env));
  const platformConfigs = platformConfigsFrom(env);
  // Only `all` falls back to the console: a web pod deployed for webhooks alone must serve HTTP, not read a closed stdin.
  const consoleMode = env.MAESTRO_ROLE === 'all' && Object.keys(platformConfigs).length === 0;
  // In the console, info lines on stderr would drown the conversation on stdout.
  const log = createLogger(env.LOG_LEVEL ?? (consoleMode ? 'warn' : 'info'));

  const catalog = loadCatalog(env.MAESTRO_CATALOG);
  // A bot that would act on the wrong cluster (or on a simulated one) must not start at all.
  const cluster = chooseCluster({ forceSandbox: env.MAESTRO_SANDBOX, consoleMode });

  const redis = await connectRedis(env.REDIS_URL);

  const { runBot } = await import('./app/compose.js');
  return runBot({ env, platformConfigs, consoleMode, log, catalog, cluster, redis, signalled });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(startupFailure(error)),
);
