import type { Redis } from 'ioredis';
import type { ReadinessCheck } from '../http/server.js';
import type { WebhookOptions } from '../http/webhooks/index.js';
import type { JobWorker } from '../jobs/worker.js';
import type { AppEnv } from './app-env.js';

/**
 * /health/ready: Redis answers, and in a role that runs jobs, the workers run. `worker`
 * is read at check time: the listener is up (and probed) before the workers start.
 */
export function readinessChecks(redis: Redis, runsWorkers: boolean, worker: () => JobWorker | undefined): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [{ name: 'redis', check: async () => void (await redis.ping()) }];
  if (runsWorkers) {
    checks.push({
      name: 'workers',
      check: async () => {
        if (!worker()?.worker.isRunning()) throw new Error('job workers are not running');
      },
    });
  }
  return checks;
}

/** How the webhooks authenticate their callers, from the environment (.env.example lists the variables). */
export function webhookAuth(env: AppEnv): Pick<WebhookOptions, 'alertmanager' | 'pagerdutySecrets'> {
  return {
    alertmanager: {
      ...(env.ALERTMANAGER_TOKEN ? { token: env.ALERTMANAGER_TOKEN } : {}),
      ...(env.ALERTMANAGER_BASIC_USER && env.ALERTMANAGER_BASIC_PASSWORD
        ? { basic: { user: env.ALERTMANAGER_BASIC_USER, password: env.ALERTMANAGER_BASIC_PASSWORD } }
        : {}),
    },
    pagerdutySecrets: (env.PAGERDUTY_WEBHOOK_SECRET ?? '').split(',').filter(Boolean),
  };
}
