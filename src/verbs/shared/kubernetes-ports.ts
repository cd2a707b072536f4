/**
 * The read side of Kubernetes as the actions see it: plain data (src/clients/kubernetes/shapes.ts),
 * no SDK types, so an action can be tested against a small in-memory fake and the
 * client (src/clients/kubernetes/client.ts) is the only code that knows the client library.
 * Writers are declared next to the action that needs them (rollback.ts, restart.ts, ...).
 */

export type {
  AutoscalerInfo,
  AutoscalerMetric,
  Condition,
  ContainerDetail,
  ContainerState,
  DeploymentState,
  EventInfo,
  LogOptions,
  MetricsUnavailable,
  PodDetail,
  PodInfo,
  PodTemplate,
  PodUsage,
  RevisionInfo,
  WorkloadRef,
} from '../../clients/kubernetes/shapes.js';
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
} from '../../clients/kubernetes/shapes.js';

export interface DeploymentReader {
  readDeployment(ref: WorkloadRef): Promise<DeploymentState>;
}

export interface RevisionReader {
  /** The deployment's ReplicaSets that carry a revision, oldest first. */
  listRevisions(ref: WorkloadRef): Promise<RevisionInfo[]>;
}

export interface PodReader {
  listPods(namespace: string, selector: string): Promise<PodInfo[]>;
  podLogs(namespace: string, pod: string, options: LogOptions): Promise<string>;
}

/** Pods at `kubectl describe` depth; without a selector, the whole namespace. */
export interface PodDetailReader {
  listPodDetails(namespace: string, selector?: string): Promise<PodDetail[]>;
}

/** metrics.k8s.io, which a cluster without metrics-server does not serve. */
export interface PodUsageReader {
  podUsage(namespace: string, selector: string): Promise<PodUsage[] | MetricsUnavailable>;
}

export interface AutoscalerReader {
  listAutoscalers(namespace: string): Promise<AutoscalerInfo[]>;
}

export interface EventReader {
  listEvents(namespace: string): Promise<EventInfo[]>;
}

/** What following a rollout needs; shared by every action that changes a deployment. */
export type RolloutReader = DeploymentReader & RevisionReader & PodReader;

/** The non-Kubernetes knobs every changing action reads from its ports. */
export interface FollowOptions {
  /** How often to poll the deployment while following a rollout (default 2 s). */
  followPollMs?: number;
  /** Give up following after this long even without a deadline condition (default 10 min). */
  followTimeoutMs?: number;
}
