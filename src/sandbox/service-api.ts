import { readJson } from './json.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Service } from '../config/catalog-schema.js';
import type { AdminRead } from '../config/service-api-schema.js';
import type { WarmJobs } from './admin.js';
import { sendJson } from './server.js';
import type { Store } from './store.js';
import { isHealthy, type ReleaseQuality, type WorkloadHealth, workloadHealth } from './workload.js';

/**
 * The rest of a service's own API as the catalog declares it (health probes, admin reads,
 * admin actions, HTTP dependency checks), answered from the simulated workload: a faulty
 * release fails /health and shows failed orchestrations and coordinator errors, `clear-cache`
 * makes the cache cold again, `restart-provider` is remembered and shown by health/detailed.
 */

export interface ServiceApiState {
  store: Store;
  quality: ReleaseQuality;
  warm: WarmJobs;
  /** Provider connection restarts, per workload key. */
  providerRestarts: Map<string, { provider: string; at: string }>;
  /** Answers already given per Idempotency-Key: a repeated action is answered, not run again. */
  answered: Map<string, { status: number; body: unknown }>;
}

export function serviceApiState(store: Store, quality: ReleaseQuality, warm: WarmJobs): ServiceApiState {
  return { store, quality, warm, providerRestarts: new Map(), answered: new Map() };
}

interface Call {
  svc: Service;
  namespace: string;
  deployment: string;
  /** The path on the service, without the query. */
  path: string;
}

const pathOnly = (p: string) => p.split('?')[0]!;

function probe(name: string, w: WorkloadHealth): { status: number; body: unknown } {
  if (name === 'live') {
    // Alive while some container runs without crash-looping, whatever its release does.
    return w.ready > 0 ? { status: 200, body: { status: 'ok' } } : { status: 503, body: { status: 'down', reason: 'no running pods' } };
  }
  if (name === 'ready') {
    const ready = w.ready > 0 && w.available > 0;
    return ready ? { status: 200, body: { status: 'ready', ready: w.ready } } : { status: 503, body: { status: 'not ready', reason: 'no ready pods' } };
  }
  const healthy = isHealthy(w);
  const reason = healthy ? undefined : w.ready === 0 ? 'no ready pods' : `${w.readyFaulty} of ${w.ready} ready pods failing requests`;
  return { status: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'unhealthy', ...(reason ? { reason } : {}) } };
}

function coordinators(svc: Service): string[] {
  return svc.cacheWarm?.coordinators ?? svc.admin?.actions['clear-cache']?.params.coordinator?.values ?? ['ChatCoordinator'];
}

function readAnswer(state: ServiceApiState, call: Call, name: string, read: AdminRead, w: WorkloadHealth): unknown {
  const key = `${call.namespace}/${call.deployment}`;
  const faulty = w.ready > 0 ? w.readyFaulty / w.ready : 1;
  switch (read.format) {
    case 'health-detailed': {
      const warmth = state.warm.warmth(key, Date.now());
      const provider = call.svc.admin?.actions['restart-provider']?.params.provider?.values[0] ?? 'anthropic';
      const restart = state.providerRestarts.get(key);
      return {
        status: isHealthy(w) ? 'healthy' : 'degraded',
        provider: { name: provider, status: faulty > 0 ? 'degraded' : 'ok', ...(restart ? { restarted_at: restart.at } : {}) },
        components: { [`provider_${provider}`]: { status: faulty > 0 ? 'degraded' : 'ok' }, cache: { status: warmth >= 1 ? 'ok' : 'cold' }, database: { status: 'ok' } },
        coordinators: coordinators(call.svc).map((c) => ({ name: c, cache_hit_rate: Number((0.45 + 0.5 * warmth).toFixed(3)), error_rate: faulty > 0 ? 0.12 : 0.004 })),
        monitored_coordinators: coordinators(call.svc),
      };
    }
    case 'orchestrations': {
      const now = Date.now();
      const failures = faulty > 0 ? 3 : 0;
      return {
        data: Array.from({ length: failures }, (_, i) => ({
          orchestrationId: `orch-${call.deployment}-${1000 + i}`,
          error: 'upstream model call failed: 502 Bad Gateway',
          createdAt: new Date(now - (i + 1) * 60_000).toISOString(),
        })),
      };
    }
    case 'models':
      // Runbook 000's seed data for the Thompson sampling table.
      return [
        { name: 'gpt-4-turbo', qualityScore: 0.95, costPerToken: 0.00003, averageLatency: 2000, availability: 0.99 },
        { name: 'claude-3-opus', qualityScore: 0.97, costPerToken: 0.000075, averageLatency: 1800, availability: faulty > 0 ? 0.9 : 0.98 },
      ];
    case 'check':
      return { ok: true, checks: [{ name, ok: true, detail: `${call.deployment} in ${call.namespace}` }] };
    case 'json':
      return { service: call.deployment, namespace: call.namespace, read: name };
  }
}

async function runAction(state: ServiceApiState, call: Call, name: string, req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const action = call.svc.admin!.actions[name]!;
  const body = (await readJson(req)) as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return { status: 400, body: { error: 'the body must be a JSON object' } };
  for (const [param, spec] of Object.entries(action.params)) {
    const value = body[param];
    if (value === undefined && spec.required) return { status: 400, body: { error: `${param} is required` } };
    if (value !== undefined && (typeof value !== 'string' || !spec.values.includes(value))) {
      return { status: 400, body: { error: `unknown ${param} '${String(value)}' (known: ${spec.values.join(', ')})` } };
    }
  }
  const key = `${call.namespace}/${call.deployment}`;
  if (name === 'restart-provider') {
    const provider = String(body.provider);
    state.providerRestarts.set(key, { provider, at: new Date().toISOString() });
    return { status: 200, body: { status: 'restarted', message: `restarted the ${provider} provider connection` } };
  }
  if (name === 'clear-cache') {
    state.warm.clear(key);
    const which = typeof body.coordinator === 'string' ? body.coordinator : 'all coordinators';
    return { status: 200, body: { status: 'cleared', message: `cleared the cache of ${which}` } };
  }
  return { status: 200, body: { status: 'done', message: `${name} ran` } };
}

/** Answers a declared probe, read, action or dependency path; false when the path is none of them. */
export async function handleServiceApi(state: ServiceApiState, call: Call, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const { svc, path } = call;
  const w = workloadHealth(state.store, state.quality, call.namespace, call.deployment);
  const get = req.method === 'GET' || req.method === 'HEAD';
  const probeName = Object.entries(svc.healthProbes ?? {}).find(([, p]) => pathOnly(p) === path)?.[0];
  const readName = Object.entries(svc.admin?.reads ?? {}).find(([, r]) => pathOnly(r.path) === path)?.[0];
  const actionName = Object.entries(svc.admin?.actions ?? {}).find(([, a]) => pathOnly(a.path) === path)?.[0];
  const dependency = Object.values(svc.dependencies).some((d) => d.kind === 'http' && pathOnly(d.path) === path);
  if (!probeName && !readName && !actionName && !dependency) return false;
  if (!w.exists) {
    sendJson(res, 404, { error: `no deployment ${call.namespace}/${call.deployment}` });
    return true;
  }
  if (get && probeName) {
    const answer = probe(probeName, w);
    sendJson(res, answer.status, answer.body);
  } else if (get && readName) {
    sendJson(res, 200, readAnswer(state, call, readName, svc.admin!.reads[readName]!, w));
  } else if (get && dependency) {
    sendJson(res, 200, { ok: true });
  } else if (req.method === 'POST' && actionName) {
    const idempotencyKey = req.headers['idempotency-key'];
    const seen = typeof idempotencyKey === 'string' ? state.answered.get(idempotencyKey) : undefined;
    const answer = seen ?? (await runAction(state, call, actionName, req));
    if (typeof idempotencyKey === 'string' && answer.status < 300) state.answered.set(idempotencyKey, answer);
    sendJson(res, answer.status, answer.body);
  } else {
    sendJson(res, 405, { error: `${req.method} is not allowed on ${path}` });
  }
  return true;
}
