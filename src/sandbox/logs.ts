import { createHash } from 'node:crypto';
import { badRequest } from './status.js';
import type { ContainerStatus, Pod } from './types.js';

/** One log entry every this many milliseconds of a pod's life. */
const EVERY_MS = 2000;
/** A pod's log is a rolling window, as the kubelet's log rotation leaves it. */
const MAX_ENTRIES = 3000;

export interface ImageFacts {
  isFaultyRelease(image: string): boolean;
  isBadImage(image: string): boolean;
}

/**
 * Plausible, deterministic container logs: the same pod and moment always give
 * the same lines. Now and then a line leaks a secret (password=..., a redis URL
 * with credentials) so that the bot's redaction has something to catch.
 */
export class LogSource {
  constructor(private readonly images: ImageFacts) {}

  read(pod: Pod, query: URLSearchParams, clock = Date.now()): string {
    const container = pickContainer(pod, query.get('container'));
    const status = pod.status.containerStatuses?.find((s) => s.name === container.name);
    if (!status) {
      throw badRequest(`container "${container.name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
    }
    const run = this.run(pod, container.name, status, query.get('previous') === 'true', clock);
    const start = run.start;
    const seed = `${pod.metadata.uid}/${container.name}${run.previous ? `#${status.restartCount}` : ''}`;
    const crashing = this.images.isBadImage(container.image);
    const faulty = this.images.isFaultyRelease(container.image);
    // A previous run ends where the kubelet saw it terminate; a current one now.
    const now = run.end;
    let from = crashing ? Math.max(start, now - 5000) : start;
    const since = query.get('sinceSeconds');
    const sinceTime = query.get('sinceTime');
    if (since !== null) {
      if (!/^\d+$/.test(since) || Number(since) < 1) throw badRequest('sinceSeconds must be a positive integer');
      from = Math.max(from, clock - Number(since) * 1000);
    } else if (sinceTime !== null) {
      if (Number.isNaN(Date.parse(sinceTime))) throw badRequest(`invalid sinceTime "${sinceTime}"`);
      from = Math.max(from, Date.parse(sinceTime));
    }
    const first = Math.max(Math.ceil((from - start) / EVERY_MS), Math.floor((now - start) / EVERY_MS) - MAX_ENTRIES);
    const last = Math.floor((now - start) / EVERY_MS);
    const lines: { at: number; text: string }[] = [];
    for (let i = Math.max(0, first); i <= last; i++) {
      const at = start + i * EVERY_MS;
      for (const text of entry(i, seed, start, pod, container.name, container.image, { faulty, crashing })) lines.push({ at, text });
    }
    let out = lines;
    const tail = query.get('tailLines');
    if (tail !== null) {
      if (!/^\d+$/.test(tail)) throw badRequest('tailLines must be a non-negative integer');
      out = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
    }
    const withTimestamps = query.get('timestamps') === 'true';
    let text = out.map((l) => (withTimestamps ? `${new Date(l.at).toISOString()} ${l.text}` : l.text)).join('\n');
    if (text) text += '\n';
    const limit = query.get('limitBytes');
    if (limit !== null && /^\d+$/.test(limit)) text = Buffer.from(text).subarray(0, Number(limit)).toString('utf8');
    return text;
  }

  /**
   * Which run of the container to read: the current one (since its last start), or with
   * `previous=true` the terminated one before it, as the kubelet keeps it; a container that
   * has not restarted has none, and the API server says so with a 400.
   */
  private run(pod: Pod, container: string, status: ContainerStatus, previous: boolean, now: number): { start: number; end: number; previous: boolean } {
    const podStart = Date.parse(pod.status.startTime ?? pod.metadata.creationTimestamp);
    if (!previous) {
      const running = status.state.running?.startedAt;
      return { start: typeof running === 'string' ? Date.parse(running) : podStart, end: now, previous: false };
    }
    const last = status.lastState.terminated;
    if (!last || status.restartCount === 0) {
      throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    }
    const start = typeof last.startedAt === 'string' ? Date.parse(last.startedAt) : podStart;
    const end = typeof last.finishedAt === 'string' ? Date.parse(last.finishedAt) : now;
    return { start, end: Math.max(start, end), previous: true };
  }
}

function pickContainer(pod: Pod, name: string | null) {
  const containers = pod.spec.containers;
  if (name) {
    const found = containers.find((c) => c.name === name);
    if (!found) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
    return found;
  }
  if (containers.length !== 1) {
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
  }
  return containers[0]!;
}

function rand(seed: string, i: number): number[] {
  const d = createHash('sha256').update(`${seed}#${i}`).digest();
  return [...d].map((b) => b / 256);
}

const ROUTES = ['/api/v1/orchestrate', '/api/v1/workflows', '/api/v1/runs', '/health', '/api/v1/models/select'];

function entry(i: number, seed: string, start: number, pod: Pod, app: string, image: string, kind: { faulty: boolean; crashing: boolean }): string[] {
  const ts = new Date(start + i * EVERY_MS).toISOString();
  const ns = pod.metadata.namespace;
  const line = (level: string, msg: string) => `${ts} ${level.padEnd(5)} [${app}] ${msg}`;
  const version = image.split(':').pop();
  const r = rand(seed, i);
  const secret = createHash('sha1').update(seed).digest('hex').slice(0, 16);
  if (kind.crashing) {
    return i % 3 === 0
      ? [line('INFO', `starting ${app} version=${version}`), line('FATAL', 'config validation failed: missing required setting MAESTRO_DB_URL'), line('INFO', 'exiting with code 1')]
      : [];
  }
  if (i === 0) return [line('INFO', `starting ${app} version=${version} pod=${pod.metadata.name}`)];
  if (i === 1) return [line('DEBUG', `connecting to cache url=redis://:${secret}@redis-master.${ns}.svc:6379/0`)];
  if (i === 2) return [line('INFO', 'listening on 0.0.0.0:8080, metrics on :9090')];
  const trace = Math.floor(r[1]! * 0xffffffff).toString(16).padStart(8, '0');
  const route = ROUTES[Math.floor(r[2]! * ROUTES.length)]!;
  if (kind.faulty && r[0]! < 0.3) {
    return [
      line('ERROR', `orchestration failed route=${route} status=500 trace_id=${trace} error="TypeError: Cannot read properties of undefined (reading 'budgetPolicy')"`),
      "TypeError: Cannot read properties of undefined (reading 'budgetPolicy')",
      '    at resolveBudget (/app/dist/orchestrator/budget.js:88:31)',
      '    at Orchestrator.plan (/app/dist/orchestrator/plan.js:142:18)',
      '    at async Orchestrator.run (/app/dist/orchestrator/index.js:57:22)',
    ];
  }
  if (r[0]! > 0.96) return [line('DEBUG', `db pool configured host=postgres.${ns}.svc user=maestro password=${secret} pool=10`)];
  if (r[0]! > 0.9) return [line('WARN', `slow upstream call provider=llm latency_ms=${Math.floor(2000 + r[3]! * 4000)} trace_id=${trace}`)];
  if (r[0]! > 0.85) return [line('INFO', 'health check ok')];
  return [line('INFO', `request completed method=POST route=${route} status=200 duration_ms=${Math.floor(20 + r[4]! * 400)} trace_id=${trace}`)];
}
