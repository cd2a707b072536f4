import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../core/metrics.js';
import type { EdgeIngress } from '../platforms/shared/platform.js';

export type EdgeCounters = Counter<'outcome'>;

/**
 * What the edge did with each request of a platform it acks, and how many
 * acknowledged ones are still being worked on: `maestro_bot_<platform>_requests_total`
 * and `maestro_bot_<platform>_in_flight` (for Slack, the names dashboards already use).
 */
export function edgeCounters(metrics: Metrics, ingress: EdgeIngress): EdgeCounters {
  const inFlight = new Int32Array(ingress.config.inFlight);
  new Gauge({
    name: `maestro_bot_${ingress.platform}_in_flight`,
    help: `${ingress.title} requests acknowledged and not yet worked off (new ones are turned away at ${ingress.config.capacity})`,
    registers: [metrics.registry],
    collect() {
      this.set(Atomics.load(inFlight, 0));
    },
  });
  return new Counter({
    name: `maestro_bot_${ingress.platform}_requests_total`,
    help: `Requests to ${ingress.path} by outcome: acked, turned_away, unauthorized, too_large, malformed`,
    labelNames: ['outcome'],
    registers: [metrics.registry],
  });
}
