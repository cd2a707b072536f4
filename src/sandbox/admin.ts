import { readJson } from './json.js';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog } from '../config/catalog-schema.js';
import { sendJson } from './server.js';
import { handleServiceApi, type ServiceApiState } from './service-api.js';

export const ADMIN_PREFIX = '/sandbox/admin/';

interface WarmJob {
  id: string;
  key: string;
  coordinator: string;
  items: number;
  startedAt: number;
}

/**
 * The services' cache-warm admin endpoint, faked: `POST <path>` {coordinator, items}
 * starts a warm-up that completes over four sandbox ticks, `GET <path>/<id>` reports
 * it. A finished warm-up raises the workload's cache hit rate (see metrics.ts).
 */
export class WarmJobs {
  private readonly jobs = new Map<string, WarmJob>();

  constructor(private readonly tickMs: number) {}

  private get durationMs(): number {
    return 4 * this.tickMs;
  }

  start(key: string, coordinator: string, items: number, at = Date.now()): WarmJob {
    const job = { id: `warm-${randomBytes(4).toString('hex')}`, key, coordinator, items, startedAt: at };
    this.jobs.set(job.id, job);
    return job;
  }

  /** `clear-cache`: the workload's cache is cold again, as after a restart. */
  clear(key: string): void {
    for (const [id, job] of this.jobs) if (job.key === key) this.jobs.delete(id);
  }

  get(id: string): WarmJob | undefined {
    return this.jobs.get(id);
  }

  fraction(job: WarmJob, at = Date.now()): number {
    return Math.max(0, Math.min(1, (at - job.startedAt) / this.durationMs));
  }

  /** 0 for a cold cache, 1 once a warm-up of the workload has finished (by time `at`). */
  warmth(key: string, at: number): number {
    let best = 0;
    for (const job of this.jobs.values()) if (job.key === key) best = Math.max(best, this.fraction(job, at));
    return best;
  }

  view(job: WarmJob, at = Date.now()) {
    const fraction = this.fraction(job, at);
    return {
      id: job.id,
      coordinator: job.coordinator,
      status: fraction >= 1 ? 'completed' : 'running',
      done: Math.floor(job.items * fraction),
      total: job.items,
    };
  }
}

/**
 * `/sandbox/admin/<namespace>/<deployment><path>`: the cache warm-up at `cacheWarm.path[/<id>]`
 * (checked against the catalog's coordinators and maxItems), then the probes, reads, actions
 * and dependency checks the catalog declares (service-api.ts); anything else is a 404.
 */
export async function handleAdmin(catalog: Catalog, state: ServiceApiState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith(ADMIN_PREFIX)) return false;
  const warm = state.warm;
  const [namespace = '', deployment = '', ...rest] = url.pathname.slice(ADMIN_PREFIX.length).split('/');
  const svc = Object.values(catalog.services).find((s) => Object.values(s.envs).some((e) => e.namespace === namespace && e.deployment === deployment));
  const path = `/${rest.join('/')}`;
  const cache = svc?.cacheWarm;
  if (!cache || !(path === cache.path || path.startsWith(`${cache.path}/`))) {
    if (svc && (await handleServiceApi(state, { svc, namespace, deployment, path }, req, res))) return true;
    sendJson(res, 404, { error: `no admin endpoint ${path} on ${namespace}/${deployment}` });
    return true;
  }
  const key = `${namespace}/${deployment}`;
  if (req.method === 'POST' && path === cache.path) {
    const body = (await readJson(req)) as { coordinator?: unknown; items?: unknown } | undefined;
    const coordinator = typeof body?.coordinator === 'string' ? body.coordinator : '';
    const items = typeof body?.items === 'number' ? body.items : Number.NaN;
    if (!cache.coordinators.includes(coordinator)) {
      sendJson(res, 400, { error: `unknown coordinator '${coordinator}' (known: ${cache.coordinators.join(', ')})` });
    } else if (!Number.isInteger(items) || items < 1 || items > cache.maxItems) {
      sendJson(res, 400, { error: `items must be a whole number 1-${cache.maxItems}` });
    } else {
      sendJson(res, 202, warm.view(warm.start(key, coordinator, items)));
    }
    return true;
  }
  const job = req.method === 'GET' ? warm.get(path.slice(cache.path.length + 1)) : undefined;
  if (!job || job.key !== key) sendJson(res, 404, { error: 'no such warm-up' });
  else sendJson(res, 200, warm.view(job));
  return true;
}
