import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './server.js';
import type { Store } from './store.js';
import { isHealthy, type ReleaseQuality, workloadHealth } from './workload.js';

export const HEALTH_PREFIX = '/sandbox/health/';

/** `/sandbox/health/<namespace>/<deployment>`: 200 while the deployment serves a good release, else 503. */
export function handleHealth(store: Store, quality: ReleaseQuality, _req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (!url.pathname.startsWith(HEALTH_PREFIX)) return false;
  const [namespace, deployment, ...rest] = url.pathname.slice(HEALTH_PREFIX.length).split('/').map(decodeURIComponent);
  if (!namespace || !deployment || rest.length > 0) {
    sendJson(res, 404, { status: 'unknown', error: 'expected /sandbox/health/<namespace>/<deployment>' });
    return true;
  }
  const w = workloadHealth(store, quality, namespace, deployment);
  if (!w.exists) {
    sendJson(res, 404, { status: 'unknown', error: `no deployment ${namespace}/${deployment}` });
    return true;
  }
  const healthy = isHealthy(w);
  const reason = healthy ? undefined : w.ready === 0 ? 'no ready pods' : w.readyFaulty > 0 ? `${w.readyFaulty} of ${w.ready} ready pods failing requests` : 'not available';
  sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', ready: w.ready, desired: w.desired, ...(reason ? { reason } : {}) });
  return true;
}
