import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Catalog } from '../config/catalog-schema.js';
import type { Message, Progress } from './message.js';
import type { Actor, Conversation } from './request.js';

/**
 * How much harm an action can do. It drives confirmation, approval and audit in one
 * place: `read` answers directly; `low` and `high` change the world and run as jobs
 * (confirmed in protected environments); `high` is what two-person approval targets.
 */
export type Risk = 'read' | 'low' | 'high';

export interface ActionContext<Ports = unknown> {
  requestId: string;
  actor: Actor;
  conversation?: Conversation;
  threadId?: string;
  /** The environment the command resolved to (`--env`, else the catalog default). */
  env: string;
  reason?: string;
  catalog: Catalog;
  log: Logger;
  /** Aborted by `cancel <job>`; long-running work must stop at the next safe point. */
  signal: AbortSignal;
  ports: Ports;
}

export type ProgressReporter = (progress: Progress) => Promise<void>;

export interface Change {
  what: string;
  from: string;
  to: string;
}

/** What a changing action would do: shown on the confirmation card, kept in the audit record and job data. */
export interface Plan<Data = unknown> {
  /** One line: "roll back maestro-orchestrator in prod from revision 7 to 6". */
  summary: string;
  /** `cluster`: the kubeconfig context (or 'sandbox') the change lands in, set by the handler for namespaced targets. */
  target: { service: string; env: string; namespace?: string; resource?: string; cluster?: string };
  changes: Change[];
  /** Whatever execute needs to check it is not repeating itself after a crash. */
  data: Data;
}

/** What this deployment cannot run of a verb, and why: `help` marks it and the verb's plan refuses it. */
export interface Unavailable {
  /** The part that cannot run (`--via github`); absent when the whole verb cannot. */
  part?: string;
  /** What is missing, so the operator can fix it: "the status page is not configured (set ...)". */
  reason: string;
}

export interface Action<Args = unknown, Ports = unknown, PlanData = unknown> {
  /** The verb as typed; two words for sub-commands (`cache warm`). */
  name: string;
  summary: string;
  /**
   * The one description of the verb's arguments: each key is a positional (in key order)
   * or a `--flag`, documented by its `.describe()` text and its argMeta (src/core/arg-meta.ts);
   * it validates what the grammar assembled from them.
   */
  args: z.ZodType<Args>;
  risk: Risk;
  examples: readonly string[];
  /** What of this verb the given ports cannot run (a credential that is not set); none when absent. */
  unavailable?(ports: Ports): Unavailable[];
  /** Read-only: what would change. Required for every action whose risk is not `read`. */
  plan?(ctx: ActionContext<Ports>, args: Args): Promise<Plan<PlanData>>;
  /** Idempotent: safe to run twice (a retried job must not roll back two revisions). */
  execute(
    ctx: ActionContext<Ports>,
    args: Args,
    progress: ProgressReporter,
    plan?: Plan<PlanData>,
  ): Promise<Message>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds actions of every argument type
export type AnyAction = Action<any, any, any>;
