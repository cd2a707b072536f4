import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import type { KubernetesPort } from '../../verbs/index.js';
import { sameTemplate } from '../../verbs/shared/pod-template.js';
import type {
  DeploymentState,
  EventInfo,
  LogOptions,
  PodInfo,
  PodTemplate,
  RevisionInfo,
  WorkloadRef,
} from '../../verbs/shared/kubernetes-ports.js';
import { chooseRollbackTarget } from '../../verbs/shared/revisions.js';
import type { RollbackOutcome } from '../../verbs/rollback/rollback.js';
import { UserError } from '../../core/errors.js';
import { plainJson, revisionOf, toDeployment, toEvent, toPod, toRevision } from './convert.js';
import { type CallSite, call, retryOnConflict } from './errors.js';
import { undoPatch } from './undo.js';

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

/** The cluster as the actions' ports see it, over @kubernetes/client-node. */
export class KubernetesClient implements KubernetesPort {
  constructor(
    private readonly apps: AppsV1Api,
    private readonly core: CoreV1Api,
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

  private static revisions(sets: V1ReplicaSet[]): { rs: V1ReplicaSet; info: RevisionInfo }[] {
    const out: { rs: V1ReplicaSet; info: RevisionInfo }[] = [];
    for (const rs of sets) {
      const revision = revisionOf(rs.metadata?.annotations);
      if (revision !== undefined) out.push({ rs, info: toRevision(rs, revision) });
    }
    return out.sort((a, b) => a.info.revision - b.info.revision);
  }

  async readDeployment(ref: WorkloadRef): Promise<DeploymentState> {
    return toDeployment(await this.getDeployment(ref));
  }

  async listRevisions(ref: WorkloadRef): Promise<RevisionInfo[]> {
    const d = await this.getDeployment(ref);
    return KubernetesClient.revisions(await this.replicaSets(d, ref.namespace)).map((r) => r.info);
  }

  async listPods(namespace: string, selector: string): Promise<PodInfo[]> {
    const list = await call(this.site('list', 'pods', namespace), () =>
      this.core.listNamespacedPod({ namespace, labelSelector: selector }),
    );
    return list.items.map(toPod).sort((a, b) => a.name.localeCompare(b.name));
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

  async rollback(ref: WorkloadRef, options: { toRevision?: number; changeCause: string }): Promise<RollbackOutcome> {
    return retryOnConflict(async () => {
      const d = await this.getDeployment(ref);
      if (d.spec?.paused) {
        throw new UserError(`${ref.deployment} in ${ref.namespace} is paused; resume it before rolling back`, 'paused');
      }
      const history = KubernetesClient.revisions(await this.replicaSets(d, ref.namespace));
      const current = revisionOf(d.metadata?.annotations);
      const target = chooseRollbackTarget(
        ref.deployment,
        current,
        history.map((h) => h.info),
        options.toRevision,
      );
      const rs = history.find((h) => h.info.revision === target.revision)!.rs;
      const template = plainJson<PodTemplate>(rs.spec?.template);
      if (sameTemplate(template, plainJson<PodTemplate>(d.spec?.template))) {
        return { applied: false, from: current, to: target.revision };
      }
      const patch = undoPatch(d.metadata?.annotations, rs.metadata?.annotations, template, options.changeCause);
      await call(this.site('patch', 'deployments', ref.namespace, ref.deployment), () =>
        this.apps.patchNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace, body: patch }, jsonPatch),
      );
      return { applied: true, from: current, to: target.revision };
    });
  }

  async restart(ref: WorkloadRef, restartedAt: string): Promise<void> {
    await retryOnConflict(async () => {
      const d = await this.getDeployment(ref);
      if (d.spec?.paused) {
        throw new UserError(`${ref.deployment} in ${ref.namespace} is paused; resume it before restarting it`, 'paused');
      }
      const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } };
      await call(this.site('patch', 'deployments', ref.namespace, ref.deployment), () =>
        this.apps.patchNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace, body }, strategicMerge),
      );
    });
  }

  async readScale(ref: WorkloadRef): Promise<number> {
    const scale = await call(this.site('get', 'deployments/scale', ref.namespace, ref.deployment), () =>
      this.apps.readNamespacedDeploymentScale({ name: ref.deployment, namespace: ref.namespace }),
    );
    return scale.spec?.replicas ?? 0;
  }

  async scale(ref: WorkloadRef, replicas: number): Promise<void> {
    await retryOnConflict(async () => {
      if ((await this.readScale(ref)) === replicas) return;
      await call(this.site('patch', 'deployments/scale', ref.namespace, ref.deployment), () =>
        this.apps.patchNamespacedDeploymentScale(
          { name: ref.deployment, namespace: ref.namespace, body: { spec: { replicas } } },
          mergePatch,
        ),
      );
    });
  }

  async readConfigMap(namespace: string, name: string): Promise<Record<string, string>> {
    const cm = await call(this.site('get', 'configmaps', namespace, name), () =>
      this.core.readNamespacedConfigMap({ name, namespace }),
    );
    return { ...cm.data };
  }

  async setConfigMapKey(namespace: string, name: string, key: string, value: string): Promise<void> {
    await retryOnConflict(async () => {
      if ((await this.readConfigMap(namespace, name))[key] === value) return;
      await call(this.site('patch', 'configmaps', namespace, name), () =>
        this.core.patchNamespacedConfigMap({ name, namespace, body: { data: { [key]: value } } }, mergePatch),
      );
    });
  }

  async setContainerEnv(ref: WorkloadRef, container: string, env: Record<string, string>): Promise<void> {
    await retryOnConflict(async () => {
      const d = await this.getDeployment(ref);
      if (!(d.spec?.template?.spec?.containers ?? []).some((c) => c.name === container)) {
        throw new UserError(`${ref.deployment} in ${ref.namespace} has no container ${container}`, 'no_container');
      }
      // Strategic merge keys containers and env by name: only these variables of this container change.
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
    });
  }
}

export function kubernetesFromConfig(kc: KubeConfig): KubernetesClient {
  return new KubernetesClient(kc.makeApiClient(AppsV1Api), kc.makeApiClient(CoreV1Api));
}
