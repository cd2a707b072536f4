/**
 * The cluster's objects as plain data, no SDK types: what the client reads and the
 * verbs decide on. They live with the client because it produces them; the verbs'
 * ports (src/verbs/shared/kubernetes-ports.ts) import them from here.
 */

/** Which Deployment an action works on, resolved from the catalog. */
export interface WorkloadRef {
  namespace: string;
  deployment: string;
}

/** A pod template as JSON; compared, stored and copied, never interpreted beyond metadata. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec?: unknown;
  [key: string]: unknown;
}

export interface ContainerState {
  name: string;
  image: string;
  /** Literal env values; entries that come from secrets or fields are left out. */
  env: Record<string, string>;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface DeploymentState {
  namespace: string;
  name: string;
  generation: number;
  observedGeneration: number;
  paused: boolean;
  /** spec.replicas */
  desired: number;
  /** status.replicas: every pod the deployment owns, old template included. */
  replicas: number;
  updated: number;
  ready: number;
  available: number;
  /** deployment.kubernetes.io/revision, once the controller has set it. */
  revision?: number;
  /** metadata.annotations: kubectl rollout undo keeps the deployment's own. */
  annotations?: Record<string, string>;
  /** metadata.resourceVersion: the precondition a read-decide-patch sends back. */
  resourceVersion?: string;
  template: PodTemplate;
  containers: ContainerState[];
  conditions: Condition[];
}

/** One entry of the rollout history: a ReplicaSet owned by the deployment. */
export interface RevisionInfo {
  revision: number;
  replicaSet: string;
  images: string[];
  changeCause?: string;
  /** The ReplicaSet's metadata.annotations, which kubectl rollout undo copies (but for the deployment's own). */
  annotations?: Record<string, string>;
  createdAt?: Date;
  template: PodTemplate;
  replicas: number;
}

export interface PodInfo {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Why a container is not running: CrashLoopBackOff, ImagePullBackOff, ... */
  waitingReason?: string;
  images: string[];
  templateHash?: string;
  createdAt?: Date;
}

export interface EventInfo {
  type: string;
  reason: string;
  message: string;
  /** Kind/name of the object the event is about. */
  object: string;
  count: number;
  lastSeen?: Date;
}

export interface LogOptions {
  container?: string;
  sinceSeconds?: number;
  tailLines?: number;
  /** The container's previous (terminated) run, as `kubectl logs --previous`. */
  previous?: boolean;
  /** Each line prefixed with the kubelet's RFC 3339 timestamp and a space. */
  timestamps?: boolean;
}

/** CPU in millicores and memory in bytes, read from a container's requests or limits. */
export interface ResourceAmounts {
  cpuMilli?: number;
  memoryBytes?: number;
}

export interface ContainerDetail {
  name: string;
  ready: boolean;
  restarts: number;
  /** running | waiting | terminated, with the kubelet's reason when there is one. */
  state: string;
  reason?: string;
  /** The previous run's end (status.containerStatuses[].lastState.terminated): OOMKilled, Error, ... */
  lastTerminated?: { reason?: string; exitCode: number; finishedAt?: Date };
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/** A pod as `kubectl describe pod` shows it: where it runs, how it is doing, what it asks for. */
export interface PodDetail {
  name: string;
  uid: string;
  phase: string;
  ready: boolean;
  node?: string;
  ip?: string;
  createdAt?: Date;
  /** metadata.deletionTimestamp is set: it is shutting down. */
  terminating: boolean;
  labels: Record<string, string>;
  containers: ContainerDetail[];
}

/** One pod's current usage from metrics.k8s.io, per container. */
export interface PodUsage {
  pod: string;
  containers: { name: string; cpuMilli: number; memoryBytes: number }[];
}

export interface AutoscalerMetric {
  /** `cpu`, `memory`, or the metric's name for Pods/Object/External metrics. */
  name: string;
  type: string;
  /** Utilization (percent of requests), AverageValue or Value. */
  targetType: string;
  target?: string;
  current?: string;
}

/** A HorizontalPodAutoscaler (autoscaling/v2) as plain data. */
export interface AutoscalerInfo {
  namespace: string;
  name: string;
  target: { kind: string; name: string };
  min: number;
  max: number;
  current?: number;
  desired?: number;
  metrics: AutoscalerMetric[];
  conditions: Condition[];
  resourceVersion?: string;
}

/** metrics.k8s.io answered with this status instead of metrics: 404 not served (no metrics-server), 403 forbidden, 503 registered but down. */
export interface MetricsUnavailable {
  unavailable: number;
}
