import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { approve, reject } from '../../src/verbs/approvals/approve.js';
import { audit as auditAction } from '../../src/verbs/audit/audit.js';
import type { Catalog } from '../../src/config/catalog-schema.js';
import { parseCatalog } from '../../src/config/catalog.js';
import type { Action, Plan } from '../../src/core/action.js';
import { argMeta } from '../../src/core/arg-meta.js';
import type { GroupsOf } from '../../src/core/group-lookup.js';
import { RedisAuditSink, type StoredAuditEntry } from '../../src/core/audit.js';
import { Metrics } from '../../src/core/metrics.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { Actor, ActorPlatform, Conversation, Platform } from '../../src/core/request.js';
import { ApprovalStore } from '../../src/pipeline/approval-store.js';
import type { Pager } from '../../src/pipeline/break-glass.js';
import { CommandHandler, type CommandResult, type JobRequest, type JobSubmitter } from '../../src/pipeline/command.js';
import { ConfirmationStore } from '../../src/pipeline/confirmations.js';
import type { PolicyDeps } from '../../src/pipeline/pipeline-deps.js';
import { InteractionHandler } from '../../src/pipeline/interaction.js';
import { JobQueue } from '../../src/jobs/index.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { done } from '../../src/core/action-result.js';
import type { AnyAction } from '../../src/core/action.js';

/** The shipped catalog's policy, with people in its roles: who is who in these tests. */
export function policyCatalog(options: { ttl?: string } = {}): Catalog {
  const raw = parse(readFileSync('config/catalog.yaml', 'utf8'));
  raw.policy.approval.ttl = options.ttl ?? '10m';
  raw.policy.roles.sre.slack.users = ['U0ADA', 'U0BOB'];
  raw.policy.roles.sre.teams.users = ['aad-ada', 'aad-bob'];
  raw.policy.roles.oncall.slack.users = ['U0OLLY'];
  raw.policy.roles.oncall.teams.users = ['aad-olly'];
  return parseCatalog(stringify(raw), 'policy-test.yaml');
}

/** Per platform, the same four people: two from sre, one on-call, one nobody. */
export function people(platform: Platform): Record<'ada' | 'bob' | 'olly' | 'eve', Actor> {
  const id = (name: string) => (platform === 'teams' ? `aad-${name}` : `U0${name.toUpperCase()}`);
  return {
    ada: { id: id('ada'), name: 'ada', platform },
    bob: { id: id('bob'), name: 'bob', platform },
    olly: { id: id('olly'), name: 'olly', platform },
    eve: { id: id('eve'), name: 'eve', platform },
  };
}

export function pagerChannel(actorPlatform: ActorPlatform): Conversation {
  // The bot itself (system) says what it does in a chat conversation like anyone.
  const platform: Platform = actorPlatform === 'system' ? 'slack' : actorPlatform;
  return platform === 'teams'
    ? { platform, id: '19:pager@thread.tacv2', name: 'Maestro Incidents', teamId: 'T-teams' }
    : { platform, id: 'C0PAGER', name: 'maestro-pager', teamId: 'T0WS' };
}

export function randomChannel(platform: Platform): Conversation {
  return { platform, id: platform === 'teams' ? '19:random@thread.tacv2' : 'C0RANDOM', name: 'random' };
}

/** Every plan() and execute() of the fake actions: a refused command must leave it empty. */
export interface CallLog {
  calls: string[];
}

const Target = z.object({ service: z.string().describe('the service').register(argMeta, { positional: true, kind: 'service' }) });

function changing(name: string, risk: 'low' | 'high'): Action<z.infer<typeof Target>, CallLog> {
  return {
    name,
    summary: `${name} (test action)`,
    args: Target,
    risk,
    examples: [`${name} maestro-orchestrator`],
    async plan(ctx, args): Promise<Plan> {
      ctx.ports.calls.push(`plan ${name}`);
      return {
        summary: `${name} ${args.service} in ${ctx.env}`,
        target: { service: args.service, env: ctx.env },
        changes: [{ what: 'revision', from: '7', to: '6' }],
        data: {},
      };
    },
    async execute(ctx) {
      ctx.ports.calls.push(`execute ${name}`);
      return done({ title: 'done' });
    },
  };
}

const status: Action<{ service?: string }, CallLog> = {
  name: 'status',
  summary: 'status (test action)',
  args: z.object({ service: z.string().optional().describe('the service').register(argMeta, { positional: true, kind: 'service' }) }),
  risk: 'read',
  examples: ['status'],
  async execute(ctx) {
    ctx.ports.calls.push('execute status');
    return done({ title: 'all fine' });
  },
};

export class FakePager implements Pager {
  readonly pages: { summary: string; details: Record<string, unknown> }[] = [];
  async page(summary: string, details: Record<string, unknown>): Promise<void> {
    this.pages.push({ summary, details });
  }
}

/** Records what the handler submits, then really queues it: "one job" is checked on both sides. */
export class RecordingJobs implements JobSubmitter {
  readonly submitted: { data: JobRequest; key: string }[] = [];
  constructor(readonly queue: JobQueue) {}
  async submit(data: JobRequest, key: string) {
    this.submitted.push({ data, key });
    return this.queue.submit(data, key);
  }
}

/** The platform-neutral command path with the policy on, over real Redis and a real (workerless) queue. */
export class PolicyHarness {
  readonly redis: Redis = testRedis();
  readonly prefix: string;
  readonly ports: CallLog & { auditTrail: RedisAuditSink } ;
  readonly audit: RedisAuditSink;
  readonly jobs: RecordingJobs;
  readonly pager = new FakePager();
  readonly commands: CommandHandler;
  readonly buttons: InteractionHandler;
  readonly catalog: Catalog;
  private readonly queue: JobQueue;
  clock = Date.now();
  private nextId = 1;

  constructor(name: string, options: { ttl?: string; catalog?: Catalog; groupsOf?: GroupsOf; directory?: Pick<PolicyDeps, 'channelIdsOf' | 'teamAliasesOf'>; actions?: readonly AnyAction[] } = {}) {
    this.prefix = testPrefix(`policy-${name}`);
    this.catalog = options.catalog ?? policyCatalog(options);
    const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    this.audit = new RedisAuditSink(this.redis, `${this.prefix}:audit`, log);
    this.ports = { calls: [], auditTrail: this.audit };
    this.queue = new JobQueue({ connection: this.redis, prefix: this.prefix, attempts: 1 });
    this.jobs = new RecordingJobs(this.queue);
    const registry = new ActionRegistry(options.actions ?? [changing('rollback', 'high'), changing('scale', 'low'), status, approve, reject, auditAction]);
    this.commands = new CommandHandler({
      registry,
      catalog: this.catalog,
      audit: this.audit,
      metrics: new Metrics({ defaultMetrics: false }),
      log,
      confirmations: new ConfirmationStore(this.redis, this.prefix),
      jobs: this.jobs,
      ports: this.ports,
      policy: {
        approvals: new ApprovalStore(this.redis, this.prefix),
        pager: this.pager,
        now: () => this.clock,
        ...(options.groupsOf ? { groupsOf: options.groupsOf } : {}),
        ...options.directory,
      },
    });
    this.buttons = new InteractionHandler(this.commands);
  }

  chat(platform: Platform): RecordingChat {
    return new RecordingChat(platform);
  }

  type(chat: RecordingChat, actor: Actor, text: string, conversation = pagerChannel(actor.platform)): Promise<CommandResult> {
    return this.commands.handle({ kind: 'command', id: `r${this.nextId++}`, actor, conversation, text }, chat);
  }

  press(chat: RecordingChat, actor: Actor, actionId: string, value: string, conversation = pagerChannel(actor.platform)): Promise<CommandResult> {
    return this.buttons.handle({ kind: 'interaction', id: `i${this.nextId++}`, actor, conversation, actionId, value }, chat);
  }

  async trail(): Promise<StoredAuditEntry[]> {
    return this.audit.read(1000);
  }

  async jobCount(): Promise<number> {
    return (await this.queue.list({ limit: 100 })).length;
  }

  async close(): Promise<void> {
    await this.queue.close();
    await cleanPrefix(this.redis, this.prefix);
    await this.redis.quit();
  }
}

export function lastEphemeral(chat: RecordingChat): string {
  const call = chat.calls.filter((c) => c.kind === 'ephemeral').at(-1);
  return call?.kind === 'ephemeral' ? (call.message.text ?? '') : '';
}
