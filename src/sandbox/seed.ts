import type { Catalog, Service, ServiceEnv } from '../config/catalog-schema.js';
import type { Controller } from './controller.js';
import { applyDefaults, defaultTemplate } from './defaults.js';
import { replicaSetFor } from './deployment.js';
import { clone, rfc3339 } from './json.js';
import { AUTOSCALERS, CONFIGMAPS, DEPLOYMENTS, NAMESPACES, REPLICASETS } from './resources.js';
import type { Store } from './store.js';
import { CHANGE_CAUSE, REVISION } from './templates.js';
import type { Deployment, HorizontalPodAutoscaler, KObject, PodTemplate } from './types.js';

export const REGISTRY = 'ghcr.io/intelgraph';

/** The release history each deployment starts with, oldest first; the last one is running. */
export function releasesOf(service: string): { revision: number; tag: string; cause: string }[] {
  if (service === 'maestro-orchestrator') {
    return [
      { revision: 5, tag: 'v2.7.2', cause: 'release v2.7.2: workflow retries' },
      { revision: 6, tag: 'v2.7.3', cause: 'release v2.7.3: queue backpressure hotfix' },
      { revision: 7, tag: 'v2.8.0', cause: 'release v2.8.0: budget policy engine' },
    ];
  }
  return ['v1.0.0', 'v1.1.0', 'v1.2.0'].map((tag, i) => ({ revision: i + 1, tag, cause: `release ${tag}` }));
}

/** Releases that run and pass readiness but misbehave (errors in logs, later in metrics). */
export const FAULTY_RELEASES = [`${REGISTRY}/maestro-orchestrator:v2.8.0`];

const FLAG_DEFAULTS: Record<string, string> = {
  CIRCUIT_BREAKER_ENABLED: 'false',
  PREMIUM_ROUTING_ENABLED: 'true',
  COMPLIANCE_EMERGENCY_OVERRIDE: 'false',
};

/**
 * Services whose deployments an autoscaler manages (runbook 003 reads the orchestrator's
 * HPA; the agents runbook adjusts notification-agent's to 3/15). Seeded with the catalog's
 * minimum and two thirds of its maximum, so raising the maximum is a change to make.
 */
export const AUTOSCALED_SERVICES = ['maestro-orchestrator', 'notification-agent'];
export const HPA_CPU_TARGET = 60;

/** What each seeded container asks for: a Burstable pod, as the runbooks' manifests give them. */
const RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

const DAY = 24 * 3600 * 1000;

/** Seeds one Deployment (with its ReplicaSet history) and ConfigMap per service × environment. */
export function seedCatalog(store: Store, controller: Controller, catalog: Catalog, now = Date.now()): void {
  const namespaces = new Set(['default', 'kube-system']);
  for (const svc of Object.values(catalog.services)) for (const env of Object.values(svc.envs)) namespaces.add(env.namespace);
  for (const ns of namespaces) {
    const obj = meta('v1', 'Namespace', ns, undefined, now - 90 * DAY);
    applyDefaults(NAMESPACES, obj);
    store.create(NAMESPACES, obj);
  }
  for (const [name, svc] of Object.entries(catalog.services)) {
    for (const env of Object.values(svc.envs)) {
      seedDeployment(store, name, svc, env, now);
      if (env.configMap) seedConfigMap(store, svc, env, now);
      if (AUTOSCALED_SERVICES.includes(name)) seedAutoscaler(store, env, now);
    }
  }
  // Pods born three hours ago, so logs have history and ages look like a real cluster.
  controller.settle(new Date(now - 3 * 3600 * 1000));
}

function seedDeployment(store: Store, service: string, svc: Service, env: ServiceEnv, now: number): void {
  const labels = Object.fromEntries(env.selector.split(',').map((kv) => kv.split('=') as [string, string]));
  const replicas = Math.min(Math.max(env.replicas.min, 2), env.replicas.max);
  const firstProvider = Object.values(svc.providers)[0];
  const template = (tag: string): PodTemplate => {
    const t: PodTemplate = {
      metadata: { labels: { ...labels } },
      spec: {
        containers: [
          {
            name: env.container,
            image: `${REGISTRY}/${service}:${tag}`,
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            resources: structuredClone(RESOURCES),
            ...(firstProvider ? { env: Object.entries(firstProvider.env).map(([k, v]) => ({ name: k, value: v })) } : {}),
            ...(env.configMap ? { envFrom: [{ configMapRef: { name: env.configMap } }] } : {}),
          },
        ],
      },
    };
    defaultTemplate(t);
    return t;
  };
  const releases = releasesOf(service);
  const current = releases[releases.length - 1]!;
  const d = meta('apps/v1', 'Deployment', env.deployment, env.namespace, now - 120 * DAY) as Deployment;
  d.metadata.labels = { ...labels };
  d.metadata.annotations = { [REVISION]: String(current.revision), [CHANGE_CAUSE]: current.cause };
  d.spec = { replicas, selector: { matchLabels: { ...labels } }, template: template(current.tag) } as Deployment['spec'];
  applyDefaults(DEPLOYMENTS, d);
  const stored = store.create(DEPLOYMENTS, d) as Deployment;
  releases.forEach((release, i) => {
    const owner = clone(stored);
    owner.metadata.annotations = { ...owner.metadata.annotations, [CHANGE_CAUSE]: release.cause };
    const rs = replicaSetFor(owner, template(release.tag), release.revision, release === current ? replicas : 0);
    rs.metadata.creationTimestamp = rfc3339(new Date(now - (releases.length - i) * 7 * DAY));
    store.create(REPLICASETS, rs);
  });
}

function seedAutoscaler(store: Store, env: ServiceEnv, now: number): void {
  const hpa = meta('autoscaling/v2', 'HorizontalPodAutoscaler', env.deployment, env.namespace, now - 100 * DAY) as HorizontalPodAutoscaler;
  hpa.spec = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: env.deployment },
    minReplicas: env.replicas.min,
    maxReplicas: Math.max(env.replicas.min, Math.ceil((env.replicas.max * 2) / 3)),
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: HPA_CPU_TARGET } } }],
  };
  store.create(AUTOSCALERS, hpa);
}

function seedConfigMap(store: Store, svc: Service, env: ServiceEnv, now: number): void {
  const cm = meta('v1', 'ConfigMap', env.configMap!, env.namespace, now - 60 * DAY);
  cm.data = Object.fromEntries(svc.flags.filter((f) => f in FLAG_DEFAULTS).map((f) => [f, FLAG_DEFAULTS[f]!]));
  store.create(CONFIGMAPS, cm);
}

function meta(apiVersion: string, kind: string, name: string, namespace: string | undefined, created: number): KObject {
  return {
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), uid: '', resourceVersion: '', creationTimestamp: rfc3339(new Date(created)) },
  };
}
