import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { toAutoscaler } from './autoscaler.js';
import { revisionOf, toDeployment, toEvent, toPod, toRevision } from './convert.js';
import { type CallSite, call, translate } from './errors.js';
import { type JsonPatchOp, resourceVersionPrecondition } from './json-patch.js';
import { toPodDetail, toPodUsage } from './pod-detail.js';
import type {
  AutoscalerInfo,
  DeploymentState,
  EventInfo,
  LogOptions,
  MetricsUnavailable,
  PodDetail,
  PodInfo,
  PodUsage,
  RevisionInfo,
  WorkloadRef,
} from './shapes.js';

export { ConflictError, KubernetesApiError } from './errors.js';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

function selectorOf(d: V1Deployment): string {
  return Object.entries(d.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function ownedBy(rs: V1ReplicaSet, d: V1Deployment): boolean {
  return (rs.metadata?.ownerReferences ?? []).some((o) => o.controller === true && o.uid === d.metadata?.uid);
}

/**
 * Plain operations on the cluster over @kubernetes/client-node: reads as plain data and
 * patches as given. Whether a change is allowed, and what to tell people, is the
 * verbs' to decide; the verbs' ports are checked against this class where
 * src/app/compose.ts hands it to them.
 */
export class KubernetesClient {
  constructor(
    private readonly apps: AppsV1Api,
    private readonly core: CoreV1Api,
    private readonly autoscaling: AutoscalingV2Api,
    private readonly custom: CustomObjectsApi,
  ) {}

  private site(verb: CallSite['verb'], resource: string, namespace: string, name?: string): CallSite {
    return { verb, resource, namespace, name };
  }

  private getDeployment(ref: WorkloadRef): Promise<V1Deployment> {
    return call(this.site('get', 'deployments', ref.namespace, ref.deployment), () =>
      this.apps.readNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace }),
    );
  }

  private async replicaSets(d: V1Deployment, namespace: string): Promise<V1ReplicaSet[]> {
    const list = await call(this.site('list', 'replicasets', namespace), () =>
      this.apps.listNamespacedReplicaSet({ namespace, labelSelector: selectorOf(d) }),
    );
    return list.items.filter((rs) => ownedBy(rs, d));
  }

  private static revisions(sets: V1ReplicaSet[]): RevisionInfo[] {
    const out: RevisionInfo[] = [];
    for (const rs of sets) {
      const revision = revisionOf(rs.metadata?.annotations);
      if (revision !== undefined) out.push(toRevision(rs, revision));
    }
    return out.sort((a, b) => a.revision - b.revision);
  }

  async readDeployment(ref: WorkloadRef): Promise<DeploymentState> {
    return toDeployment(await this.getDeployment(ref));
  }

  async listRevisions(ref: WorkloadRef): Promise<RevisionInfo[]> {
    const d = await this.getDeployment(ref);
    return KubernetesClient.revisions(await this.replicaSets(d, ref.namespace));
  }

  async listPods(namespace: string, selector: string): Promise<PodInfo[]> {
    const list = await call(this.site('list', 'pods', namespace), () =>
      this.core.listNamespacedPod({ namespace, labelSelector: selector }),
    );
    return list.items.map(toPod).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The pods as `kubectl describe` reads them; without a selector, every pod of the namespace. */
  async listPodDetails(namespace: string, selector?: string): Promise<PodDetail[]> {
    const list = await call(this.site('list', 'pods', namespace), () =>
      this.core.listNamespacedPod({ namespace, ...(selector ? { labelSelector: selector } : {}) }),
    );
    return list.items.map(toPodDetail).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Current usage from metrics.k8s.io (what `kubectl top pods` reads), or the status it answered instead (not served, forbidden, down). */
  async podUsage(namespace: string, selector: string): Promise<PodUsage[] | MetricsUnavailable> {
    try {
      const list = (await this.custom.listNamespacedCustomObject({
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        namespace,
        plural: 'pods',
        labelSelector: selector,
      })) as { items?: unknown[] };
      return (list.items ?? []).map(toPodUsage);
    } catch (error) {
      if (error instanceof ApiException && [403, 404, 503].includes(error.code)) return { unavailable: error.code };
      throw translate(error, this.site('list', 'pods.metrics.k8s.io', namespace));
    }
  }

  /**
   * Deletes one pod gracefully, only if it is still the pod with this uid (a precondition:
   * a replacement that took the name is never deleted); a 409 means it is not.
   */
  async deletePod(namespace: string, name: string, uid: string, gracePeriodSeconds: number): Promise<void> {
    await call(this.site('delete', 'pods', namespace, name), () =>
      this.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds, body: { gracePeriodSeconds, preconditions: { uid } } }),
    );
  }

  async listAutoscalers(namespace: string): Promise<AutoscalerInfo[]> {
    const list = await call(this.site('list', 'horizontalpodautoscalers', namespace), () =>
      this.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
    );
    return list.items.map(toAutoscaler).sort((a, b) => a.name.localeCompare(b.name));
  }

  async readAutoscaler(namespace: string, name: string): Promise<AutoscalerInfo> {
    return toAutoscaler(
      await call(this.site('get', 'horizontalpodautoscalers', namespace, name), () =>
        this.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace }),
      ),
    );
  }

  /**
   * What `kubectl patch hpa -p '{"spec":{"minReplicas":N,"maxReplicas":M}}'` sends, as a merge
   * patch; with a resourceVersion, applied only to the object as it was read (409 otherwise).
   */
  async setAutoscalerBounds(namespace: string, name: string, bounds: { min: number; max: number }, resourceVersion?: string): Promise<void> {
    const body = {
      ...(resourceVersion ? { metadata: { resourceVersion } } : {}),
      spec: { minReplicas: bounds.min, maxReplicas: bounds.max },
    };
    await call(this.site('patch', 'horizontalpodautoscalers', namespace, name), () =>
      this.autoscaling.patchNamespacedHorizontalPodAutoscaler({ name, namespace, body }, mergePatch),
    );
  }

  async podLogs(namespace: string, pod: string, options: LogOptions): Promise<string> {
    return call(this.site('get', 'pods/log', namespace, pod), () =>
      this.core.readNamespacedPodLog({ name: pod, namespace, ...options }),
    );
  }

  async listEvents(namespace: string): Promise<EventInfo[]> {
    const list = await call(this.site('list', 'events', namespace), () => this.core.listNamespacedEvent({ namespace }));
    return list.items.map(toEvent);
  }

  /**
   * A JSON Patch of the deployment; with a resourceVersion, applied only to the object
   * as it was read (409 ConflictError otherwise, for the caller to read and decide again).
   */
  async patchDeployment(ref: WorkloadRef, ops: readonly JsonPatchOp[], resourceVersion?: string): Promise<void> {
    const body = resourceVersion === undefined ? [...ops] : [resourceVersionPrecondition(resourceVersion), ...ops];
    await call(this.site('patch', 'deployments', ref.namespace, ref.deployment), () =>
      this.apps.patchNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace, body }, jsonPatch),
    );
  }

  /** What `kubectl rollout restart` sends: the template's restartedAt annotation, set to the given time. */
  async restart(ref: WorkloadRef, restartedAt: string): Promise<void> {
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } };
    await call(this.site('patch', 'deployments', ref.namespace, ref.deployment), () =>
      this.apps.patchNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace, body }, strategicMerge),
    );
  }

  async readScale(ref: WorkloadRef): Promise<number> {
    const scale = await call(this.site('get', 'deployments/scale', ref.namespace, ref.deployment), () =>
      this.apps.readNamespacedDeploymentScale({ name: ref.deployment, namespace: ref.namespace }),
    );
    return scale.spec?.replicas ?? 0;
  }

  async scale(ref: WorkloadRef, replicas: number): Promise<void> {
    await call(this.site('patch', 'deployments/scale', ref.namespace, ref.deployment), () =>
      this.apps.patchNamespacedDeploymentScale(
        { name: ref.deployment, namespace: ref.namespace, body: { spec: { replicas } } },
        mergePatch,
      ),
    );
  }

  async readConfigMap(namespace: string, name: string): Promise<Record<string, string>> {
    const cm = await call(this.site('get', 'configmaps', namespace, name), () =>
      this.core.readNamespacedConfigMap({ name, namespace }),
    );
    return { ...cm.data };
  }

  /** Merge-patches one key; the others are left alone. */
  async setConfigMapKey(namespace: string, name: string, key: string, value: string): Promise<void> {
    await call(this.site('patch', 'configmaps', namespace, name), () =>
      this.core.patchNamespacedConfigMap({ name, namespace, body: { data: { [key]: value } } }, mergePatch),
    );
  }

  /** Strategic merge keys containers and env by name: only these variables of this container change. */
  async setContainerEnv(ref: WorkloadRef, container: string, env: Record<string, string>): Promise<void> {
    const body = {
      spec: {
        template: {
          spec: { containers: [{ name: container, env: Object.entries(env).map(([name, value]) => ({ name, value })) }] },
        },
      },
    };
    await call(this.site('patch', 'deployments', ref.namespace, ref.deployment), () =>
      this.apps.patchNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace, body }, strategicMerge),
    );
  }
}

export function kubernetesFromConfig(kc: KubeConfig): KubernetesClient {
  return new KubernetesClient(
    kc.makeApiClient(AppsV1Api),
    kc.makeApiClient(CoreV1Api),
    kc.makeApiClient(AutoscalingV2Api),
    kc.makeApiClient(CustomObjectsApi),
  );
}
