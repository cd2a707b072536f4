import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Why a chat API call was sent again: Retry-After (429), Teams' 412, another HTTP failure, or no answer at all. */
export type ChatRetryReason = '429' | '412' | '4xx' | '5xx' | 'network';

export type CommandOutcome = 'ok' | 'parse_error' | 'user_error' | 'error' | 'dry_run' | 'queued' | 'needs_confirmation';

/**
 * prom-client's three `nodejs_active_*_total` are gauges, and `promtool check metrics`
 * rejects a `_total` suffix on anything but a counter. They are dropped: the same counts
 * remain, by resource type, in `nodejs_active_handles`, `nodejs_active_requests` and
 * `nodejs_active_resources`.
 */
export const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** Seconds: HTTP answers (Slack wants 3 s) and jobs (rollouts take minutes). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800];

/**
 * The bot's Prometheus metrics, one registry per process (tests make their own). The
 * standard process_* and nodejs_* names are kept unprefixed, so stock dashboards and
 * alerts work; the bot's own are maestro_bot_*.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly commands: Counter<'verb' | 'outcome'>;
  readonly jobsRunning: Gauge<'verb'>;
  readonly jobDuration: Histogram<'verb' | 'outcome'>;
  readonly webhooks: Counter<'source' | 'outcome'>;
  readonly verdicts: Counter<'verdict'>;
  readonly chatCalls: Counter<'platform' | 'method' | 'outcome'>;
  readonly chatRetries: Counter<'platform' | 'method' | 'reason'>;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
      for (const name of DROPPED_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
    }
    const registers = [this.registry];
    this.commands = new Counter({ name: 'maestro_bot_commands_total', help: 'Commands received, by verb and outcome', labelNames: ['verb', 'outcome'], registers });
    this.jobsRunning = new Gauge({ name: 'maestro_bot_jobs_running', help: 'Jobs this process is running now, by verb', labelNames: ['verb'], registers });
    this.jobDuration = new Histogram({
      name: 'maestro_bot_job_duration_seconds',
      help: 'Time from a job starting to its end, by verb and outcome (finished, failed, cancelled)',
      labelNames: ['verb', 'outcome'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.webhooks = new Counter({
      name: 'maestro_bot_webhook_requests_total',
      help: 'Webhook requests, by source (alertmanager, pagerduty) and outcome (accepted, unauthorized, too_large, rejected, error)',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.verdicts = new Counter({ name: 'maestro_bot_verification_verdicts_total', help: 'Verification verdicts after a rollback, by verdict', labelNames: ['verdict'], registers });
    this.chatCalls = new Counter({
      name: 'maestro_bot_chat_calls_total',
      help: "Chat platform API calls, each counted once after its retries, by platform, the platform's method (chat.postMessage, response_url, sendActivity, ...) and outcome (ok, error)",
      labelNames: ['platform', 'method', 'outcome'],
      registers,
    });
    this.chatRetries = new Counter({
      name: 'maestro_bot_chat_retries_total',
      help: "Chat platform API requests sent again, by platform, the platform's method and reason (429, 412, 4xx, 5xx, network)",
      labelNames: ['platform', 'method', 'reason'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'maestro_bot_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route, method and status code',
      labelNames: ['route', 'method', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
  }

  countCommand(verb: string, outcome: CommandOutcome): void {
    this.commands.inc({ verb, outcome });
  }

  /** Sampled at scrape time: a queue's depth lives in Redis, not in this process. */
  gaugeQueued(read: () => Promise<number>): void {
    new Gauge({
      name: 'maestro_bot_jobs_queued',
      help: 'Jobs waiting for a worker (waiting, delayed or prioritised), across all processes',
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}
