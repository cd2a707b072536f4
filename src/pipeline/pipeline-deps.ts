import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { AuditSink } from '../core/audit.js';
import type { ChannelIdsOf, TeamAliasesOf } from '../core/directory-lookup.js';
import type { GroupsOf } from '../core/group-lookup.js';
import type { Metrics } from '../core/metrics.js';
import type { ActionRegistry } from '../core/registry.js';
import type { ActionJobData } from '../jobs/job-data.js';
import type { ApprovalStore } from './approval-store.js';
import type { Pager } from './break-glass.js';
import type { ConfirmationStore } from './confirmations.js';

/** What the job layer needs to run a confirmed plan: one shape, defined where jobs are. */
export type JobRequest = ActionJobData;

export interface JobSubmitter {
  submit(data: JobRequest, idempotencyKey: string): Promise<{ jobNumber: number; jobId: string; created: boolean }>;
}

/** Everything a request's walk through the pipeline (parse → authorize → confirm → dispatch) may use. */
export interface CommandHandlerDeps {
  registry: ActionRegistry;
  catalog: Catalog;
  audit: AuditSink;
  metrics: Metrics;
  log: Logger;
  confirmations: ConfirmationStore;
  jobs: JobSubmitter;
  /** Handed to actions as ctx.ports; its shape is checked against the verbs in compose.ts (VerbPorts). */
  ports: object;
  /** Budget for a read-only action answered in the request. */
  readTimeoutMs?: number;
  /** The catalog's policy, enforced when given: who may do what, approvals, break-glass. */
  policy?: PolicyDeps;
  /** The cluster (kubeconfig context, or 'sandbox') named on every plan that changes Kubernetes objects. */
  cluster?: string;
}

export interface PolicyDeps {
  approvals: ApprovalStore;
  /** Paged when someone uses --break-glass. */
  pager?: Pager;
  /** Slack user groups of an actor (usergroups), for roles granted by group. */
  groupsOf?: GroupsOf;
  /** Channel names → ids on platforms whose requests carry ids only (Teams), for rules' `channels`. */
  channelIdsOf?: ChannelIdsOf;
  /** Other ids a conversation's team is known by (Teams: its AAD group id), for roles granted by team. */
  teamAliasesOf?: TeamAliasesOf;
  now?: () => number;
}
