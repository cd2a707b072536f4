import type { Express } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Policy } from '../../config/policy-schema.js';
import type { Catalog } from '../../config/catalog-schema.js';
import type { AuditSink } from '../../core/audit.js';
import type { ChatPort } from '../../core/chat-port.js';
import type { GroupsOf } from '../../core/group-lookup.js';
import type { Metrics } from '../../core/metrics.js';
import type { CommandHandler } from '../../pipeline/command.js';
import type { InteractionHandler } from '../../pipeline/interaction.js';

/**
 * What a chat platform is to the rest of the bot. The descriptor is light on
 * purpose (zod and plain functions): main.ts, the catalog schema and the policy read
 * it at start-up, and only `load()` pulls in the platform's SDK, when it is configured.
 */
export interface PlatformDescriptor<Name extends string, Shape extends z.ZodRawShape, Config, Members extends z.ZodType> {
  name: Name;
  /** How operators and log lines call it: "Slack". */
  title: string;
  /** The platform's environment variables, merged into the bot's one env schema. */
  env: Shape;
  /** `undefined` when the platform is not configured; half a configuration throws a ConfigError. */
  configFrom(env: z.output<z.ZodObject<Shape>>): Config | undefined;
  /** Whether the catalog lists channels on it (`services.*.channels`, `defaults.alertChannels`). */
  channels: boolean;
  /** Whether incident cards are posted on it. */
  alertCards: boolean;
  /** Who holds a role on this platform, as the catalog's `policy.roles.<role>.<name>` says. */
  members: RoleMembership<Members>;
  /** The platform's own section of the catalog, `platforms.<name>` (Teams: the tenants it accepts); absent for none. */
  catalog?: z.ZodType;
  /** A link that opens the thread of a posted message, for pages and status updates. */
  threadLink?(ref: { conversation: string; id: string }): string | undefined;
  /** The SDK half; absent for a platform with none to load (the console). */
  load?(): Promise<PlatformRuntime<Config>>;
}

export interface RoleMembership<Members extends z.ZodType> {
  schema: Members;
  /** Every id the members list, for the check that `*` appears only where it means "anyone". */
  ids(members: z.output<Members>): readonly string[];
  /** Whether `*` may stand for anyone (the console's terminal user). */
  wildcard: boolean;
  holds(members: z.output<Members>, who: MemberCandidate): boolean;
}

/** What a membership check may consult: the actor's id, its groups (when looked up), and the team it spoke in. */
export interface MemberCandidate {
  id: string;
  groups: readonly string[];
  /** The workspace / team of the conversation, when it is on the same platform as the actor. */
  teamId?: string;
  /** Other ids the same team is known by, from the platform's directory (Teams: the team's AAD group id). */
  teamAliases?: readonly string[];
  /** The tenant of the conversation (Teams), when it is on the same platform as the actor. */
  tenantId?: string;
}

export interface PlatformDeps {
  redis: Redis;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  metrics: Metrics;
}

export interface ReceiverDeps extends PlatformDeps {
  app: Express;
  /** Where a platform records what it refuses before the pipeline sees it (a foreign tenant). */
  audit: AuditSink;
  /** The catalog, for the platform's own section (`platforms.<name>`). */
  catalog: Catalog;
  handler: CommandHandler;
  interactions: InteractionHandler;
  updateIntervalMs: number;
}

/** The SDK half of a platform, loaded with `import()` only when it is configured. */
export interface PlatformRuntime<Config> {
  /** The web role: receivers, and the chat they answer through. */
  receive(config: Config, deps: ReceiverDeps): Promise<ReceivingPlatform>;
  /** A worker: a send-only chat that edits and replies to messages another process posted. */
  send(config: Config, deps: PlatformDeps): ChatPort;
  /** Group memberships the policy grants roles by (Slack user groups), looked up by the web role. */
  roleGroups?(config: Config, deps: PlatformDeps & { policy: Policy }): RoleGroups;
  /**
   * What the platform learned about its channels and teams that its requests do not carry
   * (Teams sends channel ids, never names): present, the policy compares channel ids only.
   */
  channelDirectory?(config: Config, deps: PlatformDeps): ChannelDirectory;
}

/** Channel names and team aliases as the platform last saw them (Teams: at install and on channel and team events). */
export interface ChannelDirectory {
  /** The ids of the channels now called `name` (case, spacing and a leading '#' aside); none when no known channel is. */
  idsNamed(name: string): Promise<string[]>;
  /** Other ids the team is known by (Teams: the team's AAD group id), for roles granted by team. */
  teamAliases(teamId: string): Promise<string[]>;
}

export interface ReceivingPlatform {
  chat: ChatPort;
  /** When the platform's requests are verified and acked by the HTTP edge thread (src/http/edge.ts). */
  edge?: EdgeIngress;
  stop(): Promise<void>;
}

export interface RoleGroups {
  groupsOf: GroupsOf;
  /** Starts the periodic refresh; returns its stop. */
  start(): (() => void) | undefined;
}

/** A platform's fast-ack route on the HTTP edge: the edge thread imports `module` and calls its `edgeIngress`. */
export interface EdgeIngress {
  platform: string;
  title: string;
  /** POST requests to this path are answered by the edge thread. */
  path: string;
  /** The module (a file URL) the edge thread imports; it exports `edgeIngress: EdgeIngressFactory`. */
  module: string;
  /** Plain data, so that it crosses to the edge's worker thread. */
  config: EdgeIngressConfig;
  /** An acknowledged request, back on the main thread. */
  deliver(delivery: unknown): void;
}

export interface EdgeIngressConfig {
  /** Requests acknowledged but not yet worked on, beyond which new ones are turned away. */
  capacity: number;
  /** One Int32: acknowledged requests not yet finished. The edge adds, the main thread subtracts. */
  inFlight: SharedArrayBuffer;
}

/** What was refused and why: the reason is for the log, never for the caller. */
export interface EdgeRefusal {
  status: 400 | 401 | 413;
  reason: string;
  retryNum?: string;
}

export interface EdgeHooks<Delivery> {
  deliver(delivery: Delivery): void;
  refused(refusal: EdgeRefusal): void;
  /** A request was turned away because `inFlight` acknowledged requests are still waiting. */
  turnedAway(inFlight: number): void;
  warn(fields: Record<string, unknown>, message: string): void;
  now?: () => number;
}

export type EdgeIngressFactory = (config: never, hooks: EdgeHooks<never>) => (req: IncomingMessage, res: ServerResponse) => void;

/** Keeps the descriptor's literal types (its name, `alertCards: true`, its catalog section) for the registry to derive from. */
export function definePlatform<const Name extends string, Shape extends z.ZodRawShape, Config, Members extends z.ZodType, const Flags extends { channels: boolean; alertCards: boolean; catalog?: z.ZodType }>(
  descriptor: PlatformDescriptor<Name, Shape, Config, Members> & Flags,
): PlatformDescriptor<Name, Shape, Config, Members> & Flags {
  return descriptor;
}
