import { createHash } from 'node:crypto';
import type { KubernetesPort } from '../support/kubernetes-verbs.js';
import type { JsonPatchOp } from '../../src/clients/kubernetes/json-patch.js';
import { ConflictError } from '../../src/clients/kubernetes/errors.js';
import { RESTARTED_AT, sameTemplate, withoutHash } from '../../src/verbs/shared/pod-template.js';
import type {
  AutoscalerInfo,
  DeploymentState,
  MetricsUnavailable,
  PodDetail,
  PodUsage,
  EventInfo,
  LogOptions,
  PodInfo,
  PodTemplate,
  RevisionInfo,
  WorkloadRef,
} from '../../src/verbs/shared/kubernetes-ports.js';
import { UserError } from '../../src/core/errors.js';

interface FakeDeployment {
  ref: WorkloadRef;
  container: string;
  desired: number;
  paused: boolean;
  generation: number;
  revision: number;
  template: PodTemplate;
  revisions: RevisionInfo[];
  pods: PodInfo[];
  deadlineExceeded: boolean;
}

export function template(app: string, container: string, image: string, env: Record<string, string> = {}): PodTemplate {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: container, image, env: Object.entries(env).map(([name, value]) => ({ name, value })) }] },
  };
}

function hashOf(t: PodTemplate): string {
  return createHash('sha1').update(JSON.stringify(withoutHash(t))).digest('hex').slice(0, 10);
}

function containers(t: PodTemplate): { name: string; image: string; env: { name: string; value: string }[] }[] {
  return ((t.spec as { containers?: unknown[] } | undefined)?.containers ?? []) as {
    name: string;
    image: string;
    env: { name: string; value: string }[];
  }[];
}

/**
 * An in-memory cluster behind the actions' ports: rollouts finish at once, unless the
 * image is marked bad, in which case the new pods crash-loop and the progress deadline passes.
 */
export class FakeKubernetes implements KubernetesPort {
  readonly deployments = new Map<string, FakeDeployment>();
  readonly configMaps = new Map<string, Record<string, string>>();
  readonly events: EventInfo[] = [];
  readonly logs = new Map<string, string>();
  readonly badImages = new Set<string>();
  /** Every change made through the port, in order: what idempotency tests count. */
  readonly changes: string[] = [];
  /** HorizontalPodAutoscalers; none unless a test adds one (the sandbox tests cover their behaviour). */
  readonly autoscalers: AutoscalerInfo[] = [];

  private key(ref: WorkloadRef): string {
    return `${ref.namespace}/${ref.deployment}`;
  }

  addDeployment(options: {
    namespace: string;
    name: string;
    container?: string;
    desired?: number;
    images: Record<number, string>;
    env?: Record<string, string>;
    paused?: boolean;
  }): void {
    const container = options.container ?? options.name;
    const d: FakeDeployment = {
      ref: { namespace: options.namespace, deployment: options.name },
      container,
      desired: options.desired ?? 3,
      paused: options.paused ?? false,
      generation: 1,
      revision: 0,
      template: {},
      revisions: [],
      pods: [],
      deadlineExceeded: false,
    };
    for (const [rev, image] of Object.entries(options.images).sort(([a], [b]) => Number(a) - Number(b))) {
      const t = template(options.name, container, image, options.env);
      d.revisions.push(this.revisionFor(t, Number(rev)));
      d.template = t;
      d.revision = Number(rev);
    }
    this.deployments.set(this.key(d.ref), d);
    this.settle(d);
  }

  private revisionFor(t: PodTemplate, revision: number): RevisionInfo {
    const withHash = structuredClone(t);
    withHash.metadata = { ...withHash.metadata, labels: { ...withHash.metadata?.labels, 'pod-template-hash': hashOf(t) } };
    return {
      revision,
      replicaSet: `rs-${hashOf(t)}`,
      images: containers(t).map((c) => c.image),
      changeCause: `deploy revision ${revision}`,
      createdAt: new Date(Date.now() - revision * 3600_000),
      template: withHash,
      replicas: 0,
    };
  }

  private get(ref: WorkloadRef): FakeDeployment {
    const d = this.deployments.get(this.key(ref));
    if (!d) throw new UserError(`deployment ${ref.deployment} not found in ${ref.namespace}`, 'kubernetes_not_found');
    return d;
  }

  /** What the deployment controller does with a new template: reuse or create a ReplicaSet, as the newest revision. */
  private apply(d: FakeDeployment, t: PodTemplate): void {
    d.generation++;
    d.template = t;
    const max = Math.max(...d.revisions.map((r) => r.revision));
    const existing = d.revisions.find((r) => sameTemplate(r.template, t));
    if (existing) existing.revision = max + 1;
    else d.revisions.push(this.revisionFor(t, max + 1));
    d.revision = max + 1;
    this.settle(d);
  }

  private settle(d: FakeDeployment): void {
    const images = containers(d.template).map((c) => c.image);
    const bad = images.some((i) => this.badImages.has(i));
    const hash = hashOf(d.template);
    d.deadlineExceeded = bad;
    d.pods = Array.from({ length: d.desired }, (_, i) => ({
      name: `${d.ref.deployment}-${hash}-${i}`,
      phase: bad ? 'Running' : 'Running',
      ready: !bad,
      restarts: bad ? 4 : 0,
      waitingReason: bad ? 'CrashLoopBackOff' : undefined,
      images,
      templateHash: hash,
    }));
  }

  markImageBad(image: string): void {
    this.badImages.add(image);
    for (const d of this.deployments.values()) this.settle(d);
  }

  async readDeployment(ref: WorkloadRef): Promise<DeploymentState> {
    const d = this.get(ref);
    const ready = d.pods.filter((p) => p.ready).length;
    return {
      namespace: ref.namespace,
      name: ref.deployment,
      generation: d.generation,
      observedGeneration: d.generation,
      paused: d.paused,
      desired: d.desired,
      replicas: d.desired,
      updated: d.desired,
      ready,
      available: ready,
      revision: d.revision,
      resourceVersion: String(d.generation),
      template: structuredClone(d.template),
      containers: containers(d.template).map((c) => ({
        name: c.name,
        image: c.image,
        env: Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value])),
      })),
      conditions: [
        d.deadlineExceeded
          ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet has timed out progressing.` }
          : { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    };
  }

  async listRevisions(ref: WorkloadRef): Promise<RevisionInfo[]> {
    return structuredClone(this.get(ref).revisions).sort((a, b) => a.revision - b.revision);
  }

  async listPods(namespace: string, selector: string): Promise<PodInfo[]> {
    const app = selector.split('=')[1];
    return [...this.deployments.values()]
      .filter((d) => d.ref.namespace === namespace && d.ref.deployment === app)
      .flatMap((d) => structuredClone(d.pods));
  }

  async podLogs(_namespace: string, pod: string, _options: LogOptions): Promise<string> {
    return this.logs.get(pod) ?? '';
  }

  async listEvents(_namespace: string): Promise<EventInfo[]> {
    return [...this.events];
  }

  /** Only the template replace of kubectl's undo patch matters here; a stale resourceVersion conflicts as the API server would. */
  async patchDeployment(ref: WorkloadRef, ops: readonly JsonPatchOp[], resourceVersion?: string): Promise<void> {
    const d = this.get(ref);
    if (resourceVersion !== undefined && resourceVersion !== String(d.generation)) throw new ConflictError('the object has been modified');
    const op = ops.find((o) => o.path === '/spec/template');
    if (!op) return;
    const t = op.value as PodTemplate;
    const from = d.revisions.find((r) => sameTemplate(r.template, t));
    this.changes.push(`rollback ${ref.deployment} to ${from?.revision ?? '?'}`);
    this.apply(d, withoutHash(t));
  }

  async restart(ref: WorkloadRef, restartedAt: string): Promise<void> {
    const d = this.get(ref);
    this.changes.push(`restart ${ref.deployment} ${restartedAt}`);
    const t = structuredClone(d.template);
    t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, [RESTARTED_AT]: restartedAt } };
    this.apply(d, t);
  }

  async readScale(ref: WorkloadRef): Promise<number> {
    return this.get(ref).desired;
  }

  async scale(ref: WorkloadRef, replicas: number): Promise<void> {
    const d = this.get(ref);
    this.changes.push(`scale ${ref.deployment} ${replicas}`);
    d.desired = replicas;
    this.settle(d);
  }

  async readConfigMap(namespace: string, name: string): Promise<Record<string, string>> {
    const cm = this.configMaps.get(`${namespace}/${name}`);
    if (!cm) throw new UserError(`configmap ${name} not found in ${namespace}`, 'kubernetes_not_found');
    return { ...cm };
  }

  async setConfigMapKey(namespace: string, name: string, key: string, value: string): Promise<void> {
    this.changes.push(`configmap ${name} ${key}=${value}`);
    const cm = this.configMaps.get(`${namespace}/${name}`) ?? {};
    cm[key] = value;
    this.configMaps.set(`${namespace}/${name}`, cm);
  }

  async setContainerEnv(ref: WorkloadRef, container: string, env: Record<string, string>): Promise<void> {
    const d = this.get(ref);
    this.changes.push(`env ${ref.deployment} ${Object.keys(env).join(',')}`);
    const t = structuredClone(d.template);
    const c = containers(t).find((x) => x.name === container)!;
    for (const [name, value] of Object.entries(env)) {
      const found = c.env.find((e) => e.name === name);
      if (found) found.value = value;
      else c.env.push({ name, value });
    }
    this.apply(d, t);
  }

  async listAutoscalers(namespace: string): Promise<AutoscalerInfo[]> {
    return structuredClone(this.autoscalers.filter((h) => h.namespace === namespace));
  }

  async readAutoscaler(namespace: string, name: string): Promise<AutoscalerInfo> {
    const found = this.autoscalers.find((h) => h.namespace === namespace && h.name === name);
    if (!found) throw new UserError(`horizontalpodautoscaler ${name} not found in ${namespace}`, 'kubernetes_not_found');
    return structuredClone(found);
  }

  async setAutoscalerBounds(namespace: string, name: string, bounds: { min: number; max: number }): Promise<void> {
    this.changes.push(`hpa ${name} ${bounds.min}-${bounds.max}`);
    Object.assign(this.autoscalers.find((h) => h.namespace === namespace && h.name === name)!, bounds);
  }

  /** The PodInfo pods at describe depth: one container each, nothing requested. */
  async listPodDetails(namespace: string, selector?: string): Promise<PodDetail[]> {
    const pods = selector ? await this.listPods(namespace, selector) : [...this.deployments.values()].filter((d) => d.ref.namespace === namespace).flatMap((d) => d.pods);
    return pods.map((p) => ({
      name: p.name,
      uid: `uid-${p.name}`,
      phase: p.phase,
      ready: p.ready,
      terminating: false,
      labels: {},
      containers: [{ name: 'main', ready: p.ready, restarts: p.restarts, state: p.waitingReason ? 'waiting' : 'running', requests: {}, limits: {} }],
    }));
  }

  async podUsage(): Promise<PodUsage[] | MetricsUnavailable> {
    return { unavailable: 404 };
  }

  async deletePod(_namespace: string, name: string): Promise<void> {
    this.changes.push(`delete pod ${name}`);
    for (const d of this.deployments.values()) d.pods = d.pods.filter((p) => p.name !== name);
  }
}
