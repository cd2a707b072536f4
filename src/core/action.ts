import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Catalog } from '../config/catalog-schema.js';
import type { VerbEvidence } from './evidence-record.js';
import type { LongOutput } from './chat-port.js';
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

/**
 * How an execute ended, decided by the verb (never read off a message's colour):
 * `done` the plan's change holds; `failed` it ran but the world did not get where the
 * plan said (a rollout that hit its deadline); `cancelled` it stopped for a cancel and
 * said where it got; `refused` it declined before changing anything.
 */
export type Outcome = 'done' | 'failed' | 'cancelled' | 'refused';

/**
 * What execute hands back: the outcome, the message people read, and the typed facts
 * that evidence and verification read (never the rendered text).
 */
export interface ActionResult<Facts = unknown> {
  outcome: Outcome;
  message: Message;
  facts?: Facts;
  /** All of an output the message shows only the end of; chats that can carry it do (ChatPort.postLong). */
  output?: LongOutput;
}

export interface Action<Args = unknown, Ports = unknown, PlanData = unknown, Facts = unknown> {
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
  /** Its success is a mitigation worth verifying (runbook: "Verification (post-mitigation)"). */
  mitigates?: boolean;
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
  ): Promise<ActionResult<Facts>>;
  /**
   * Declared by a verb whose every run is kept as evidence (rollback): the verb's part
   * of the record, from its plan and, when execute returned, its facts. Verification
   * adds who, when and how it ended.
   */
  evidence?(plan: Plan<PlanData>, facts: Facts | undefined): VerbEvidence;
}

/** The ports every verb of a list needs together: a port left out of the object built against it does not compile. */
export type PortsOf<Verbs extends readonly unknown[]> = Verbs extends readonly [infer First, ...infer Rest]
  ? PortsOfVerb<First> & PortsOf<Rest>
  : unknown;

// biome-ignore lint/suspicious/noExplicitAny: only the ports are read off the verb
type PortsOfVerb<Verb> = Verb extends Action<any, infer Ports, any, any> ? Ports : never;

// biome-ignore lint/suspicious/noExplicitAny: the registry holds actions of every argument type
export type AnyAction = Action<any, any, any, any>;
