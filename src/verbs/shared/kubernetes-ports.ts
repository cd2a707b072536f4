/**
 * The read side of Kubernetes as the actions see it: plain data, no SDK types, so
 * an action can be tested against a small in-memory fake and the adapter
 * (src/clients/kubernetes/client.ts) is the only code that knows the client library.
 * Writers are declared next to the action that needs them (rollback.ts, restart.ts, ...).
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
}

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
