import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

export type CommandOutcome = 'ok' | 'parse_error' | 'user_error' | 'error' | 'dry_run' | 'queued' | 'needs_confirmation';

/** The bot's Prometheus metrics, one registry per process (tests make their own). */
export class Metrics {
  readonly registry = new Registry();
  readonly commands: Counter<'verb' | 'outcome'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'maestro_bot_' });
    this.commands = new Counter({
      name: 'maestro_bot_commands_total',
      help: 'Commands received, by verb and outcome',
      labelNames: ['verb', 'outcome'],
      registers: [this.registry],
    });
  }

  countCommand(verb: string, outcome: CommandOutcome): void {
    this.commands.inc({ verb, outcome });
  }
}
