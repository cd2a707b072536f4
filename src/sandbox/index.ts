import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import { Access, type AccessRequest, type ConflictInjection, type DenyRule } from './access.js';
import { ADMIN_PREFIX, handleAdmin, WarmJobs } from './admin.js';
import { Api } from './api.js';
import { Controller } from './controller.js';
import { EventRecorder } from './events.js';
import { sandboxKubeConfig, writeKubeconfigFile } from './kubeconfig.js';
import { LogSource } from './logs.js';
import { HEALTH_PREFIX, handleHealth } from './health.js';
import { serviceApiState } from './service-api.js';
import { handleExposition, SandboxExposition } from './exposition.js';
import { type HistoryStep, metricsHistory } from './metrics-history.js';
import { handlePrometheus, SandboxMetrics } from './metrics.js';
import { FAULTY_RELEASES, seedCatalog } from './seed.js';
import { createApiServer } from './server.js';
import { Store } from './store.js';

export type { AccessRequest, ConflictInjection, DenyRule } from './access.js';

export interface SandboxOptions {
  catalog: Catalog;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Controller tick, the sandbox's unit of time; default 1000. Tests use 20-50. */
  rolloutIntervalMs?: number;
  /** Seed deployments, history and config maps from the catalog; default true. */
  seed?: boolean;
  /** Serve metrics.k8s.io (PodMetrics) as an installed metrics-server does; default true. */
  metricsServer?: boolean;
  log?: Logger;
}

export interface Sandbox {
  readonly url: string;
  /** A Prometheus HTTP API answering the catalog's indicator queries from the simulated pods. */
  readonly prometheusUrl: string;
  /** 200 while the deployment is available and not running a faulty release, 503 otherwise. */
  healthUrl(namespace: string, deployment: string): string;
  /** Base URL of the service's fake admin API (the catalog's cacheWarm, healthProbes, admin and dependency paths are appended). */
  adminUrl(namespace: string, deployment: string): string;
  /**
   * OpenMetrics text of what scraping /metrics over `steps` would have given, the pods
   * as they are now (metrics-history.ts): backfill for a real Prometheus.
   */
  metricsHistory(steps: readonly HistoryStep[]): string;
  kubeConfig(): KubeConfig;
  writeKubeconfig(file: string): Promise<void>;
  /** Pods running this image crash-loop and never become Ready, so a rollout to it stalls and times out. */
  markImageBad(image: string, bad?: boolean): void;
  /** A release that runs and is Ready but misbehaves (errors, stack traces in its logs). */
  isFaultyRelease(image: string): boolean;
  /** Answer 403 Forbidden for a verb on a resource (`deployments`, `deployments/scale`), as RBAC would. */
  deny(rule: DenyRule): void;
  /** Drop every deny rule. */
  allowAll(): void;
  /** Every distinct (verb, resource/subresource, namespace, name) the API server was asked for. */
  served(): AccessRequest[];
  /** The next `count` (default 1) updates or patches of one object answer 409 Conflict. */
  injectConflicts(injection: ConflictInjection): void;
  /** The pod's readiness probe fails (Unhealthy events, not Ready) until called again with false. */
  failReadiness(namespace: string, pod: string, failing?: boolean): void;
  /** The pod's containers (or one of them) were OOM-killed once and restarted. */
  oomKill(namespace: string, pod: string, container?: string): void;
  /** Run one controller tick now (tests that want determinism rather than waiting). */
  tick(): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const intervalMs = options.rolloutIntervalMs ?? 1000;
  const metricsServer = options.metricsServer ?? true;
  const store = new Store();
  const events = new EventRecorder(store);
  const controller = new Controller(store, events, intervalMs, options.log);
  const access = new Access();
  const faulty = new Set(FAULTY_RELEASES);
  const logs = new LogSource({ isFaultyRelease: (i) => faulty.has(i), isBadImage: (i) => controller.isBadImage(i) });
  if (options.seed ?? true) seedCatalog(store, controller, options.catalog);

  const quality = { isFaultyRelease: (i: string) => faulty.has(i) };
  const warm = new WarmJobs(intervalMs);
  const serviceApi = serviceApiState(store, quality, warm);
  const metrics = new SandboxMetrics(store, quality, warm, options.catalog);
  const exposition = new SandboxExposition(store, quality, warm, options.catalog);
  const server = createApiServer(
    new Api(store, access, logs, controller.terminations, metricsServer),
    access,
    options.log,
    async (req, res, url) => {
      if (url.pathname.startsWith(HEALTH_PREFIX)) return handleHealth(store, quality, req, res, url);
      if (url.pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(options.catalog, serviceApi, req, res, url);
      if (handleExposition(exposition, req, res, url)) return true;
      return handlePrometheus(metrics, req, res, url);
    },
    metricsServer,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  controller.start();
  options.log?.info({ url }, 'sandbox cluster listening');

  let closed: Promise<void> | undefined;
  return {
    url,
    prometheusUrl: url,
    metricsHistory: (steps) => metricsHistory(new SandboxExposition(store, quality, warm, options.catalog), steps),
    healthUrl: (namespace, deployment) => `${url}${HEALTH_PREFIX}${encodeURIComponent(namespace)}/${encodeURIComponent(deployment)}`,
    adminUrl: (namespace, deployment) => `${url}${ADMIN_PREFIX}${encodeURIComponent(namespace)}/${encodeURIComponent(deployment)}`,
    kubeConfig: () => sandboxKubeConfig(url),
    writeKubeconfig: (file) => writeKubeconfigFile(url, file),
    markImageBad: (image, bad = true) => controller.markImageBad(image, bad),
    isFaultyRelease: (image) => faulty.has(image),
    deny: (rule) => access.deny(rule),
    allowAll: () => access.allowAll(),
    served: () => access.served(),
    injectConflicts: (injection) => access.injectConflicts(injection),
    failReadiness: (namespace, pod, failing = true) => controller.faults.failReadiness(namespace, pod, failing),
    oomKill: (namespace, pod, container) => controller.faults.oomKill(namespace, pod, container),
    tick: () => controller.tick(),
    close() {
      closed ??= new Promise<void>((resolve) => {
        controller.stop();
        server.close(() => resolve());
        // Open watches would otherwise keep close() waiting for their timeout.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
