import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  type ComponentStatus,
  componentStatusFor,
  IMPACTS,
  type Impact,
  INCIDENT_STATUSES,
  type IncidentInput,
  type IncidentStatus,
  type StatuspageIncident,
} from '../../clients/statuspage.js';
import type { Service } from '../../config/catalog-schema.js';
import { done } from '../../core/action-result.js';
import type { Action, ActionContext, Plan, Unavailable } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import type { StatuspageLinkReader } from '../status/status.js';
import { resolveTarget } from '../shared/target.js';

/** The two Statuspage calls the actions need; src/clients/statuspage.ts implements them. */
export interface StatuspagePort {
  create(input: IncidentInput): Promise<StatuspageIncident>;
  update(id: string, input: IncidentInput): Promise<StatuspageIncident>;
}

export interface StatuspageLink {
  id: string;
  service: string;
  env: string;
  status: IncidentStatus;
  impact: Impact;
  url?: string;
  /** The request that opened it: how a retried job sees it already did. */
  requestId: string;
}

/**
 * Which status page incident belongs to which service+env, in Redis, so `status`
 * can show it and a passed verification can offer to resolve it.
 */
export class StatuspageLinks implements StatuspageLinkReader {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private byService(service: string, env: string): string {
    return `${this.prefix}:statuspage:link:${service}:${env}`;
  }

  private byId(id: string): string {
    return `${this.prefix}:statuspage:incident:${id}`;
  }

  async save(link: StatuspageLink): Promise<void> {
    const text = JSON.stringify(link);
    const multi = this.redis.multi().set(this.byId(link.id), text, 'EX', 90 * 24 * 3600);
    if (link.status === 'resolved') multi.del(this.byService(link.service, link.env));
    else multi.set(this.byService(link.service, link.env), text, 'EX', 30 * 24 * 3600);
    await multi.exec();
  }

  async current(service: string, env: string): Promise<StatuspageLink | undefined> {
    const text = await this.redis.get(this.byService(service, env));
    return text ? (JSON.parse(text) as StatuspageLink) : undefined;
  }

  async incident(id: string): Promise<StatuspageLink | undefined> {
    const text = await this.redis.get(this.byId(id));
    return text ? (JSON.parse(text) as StatuspageLink) : undefined;
  }
}

export interface StatuspagePorts {
  /** Absent when STATUSPAGE_PAGE_ID / STATUSPAGE_API_KEY are not set. */
  statuspage?: StatuspagePort;
  statuspageLinks: StatuspageLinks;
}

const UNCONFIGURED = 'the status page is not configured (set STATUSPAGE_PAGE_ID and STATUSPAGE_API_KEY)';

function unavailable(ports: StatuspagePorts): Unavailable[] {
  return ports.statuspage ? [] : [{ reason: UNCONFIGURED }];
}

/** Called first in every plan, so an unconfigured status page is refused before anyone is asked to confirm. */
function port(ctx: ActionContext<StatuspagePorts>): StatuspagePort {
  if (!ctx.ports.statuspage) throw new UserError(`${UNCONFIGURED}; runbook 000: update it by hand meanwhile`, 'statuspage_unconfigured');
  return ctx.ports.statuspage;
}

function component(ctx: ActionContext<StatuspagePorts>, service: string): NonNullable<Service['statuspage']> {
  const spec = resolveTarget(ctx, service).spec;
  if (!spec.statuspage) {
    const have = Object.entries(ctx.catalog.services)
      .filter(([, s]) => s.statuspage)
      .map(([n]) => n);
    throw new UserError(`${service} has no status page component in the catalog (services that have one: ${have.join(', ') || 'none'})`, 'no_statuspage_component');
  }
  return spec.statuspage;
}

function bodyFor(sp: NonNullable<Service['statuspage']>, status: IncidentStatus, given?: string): string {
  const template = sp.templates[status] ?? DEFAULT_TEXT[status];
  return given ?? template.replaceAll('{name}', sp.name);
}

const DEFAULT_TEXT: Record<IncidentStatus, string> = {
  investigating: 'We are investigating a problem with {name}.',
  identified: 'The cause of the problem with {name} has been identified and a fix is being applied.',
  monitoring: 'A fix has been applied to {name} and we are monitoring the results.',
  resolved: 'This incident has been resolved.',
};

function linkedMessage(verb: string, link: StatuspageLink, components: Record<string, ComponentStatus>): Message {
  return {
    title: `Status page incident ${link.id} ${verb}: ${link.status}`,
    severity: link.status === 'resolved' ? 'success' : 'info',
    fields: [
      { label: 'Service', value: `${link.service} in ${link.env}` },
      { label: 'Impact', value: link.impact },
      { label: 'Components', value: Object.entries(components).map(([id, s]) => `${id}: ${s}`).join(', ') || 'unchanged' },
      ...(link.url ? [{ label: 'Link', value: link.url }] : []),
    ],
  };
}

// ---- statuspage open -------------------------------------------------------

/** The text of an open or an update: both default to the catalog's template. */
const UpdateBody = z
  .string()
  .min(1)
  .max(5000)
  .optional()
  .describe("the update's text (default: the catalog's template)")
  .register(argMeta, { placeholder: '"..."' });

export const OpenArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose component is affected').register(argMeta, { positional: true, kind: 'service' }),
  status: z
    .enum(INCIDENT_STATUSES.filter((s) => s !== 'resolved') as ['investigating', 'identified', 'monitoring'])
    .default('investigating')
    .describe('where the incident stands (default investigating)'),
  impact: z.enum(IMPACTS).default('minor').describe('how bad it is for users (default minor)'),
  body: UpdateBody,
});
export type OpenArgs = z.infer<typeof OpenArgs>;

interface OpenPlan {
  input: IncidentInput;
}

export const statuspageOpen: Action<OpenArgs, StatuspagePorts, OpenPlan> = {
  name: 'statuspage open',
  summary: 'Open a public status page incident for a service, with its component status',
  args: OpenArgs,
  risk: 'low',
  examples: ['statuspage open maestro-orchestrator --impact major', 'statuspage open maestro-orchestrator --status identified --body "Rolling back v2.8.0"'],
  unavailable,
  async plan(ctx, args): Promise<Plan<OpenPlan>> {
    port(ctx);
    const sp = component(ctx, args.service);
    const open = await ctx.ports.statuspageLinks.current(args.service, ctx.env);
    if (open) {
      throw new UserError(`status page incident ${open.id} is already open for ${args.service} in ${ctx.env}: statuspage update ${open.id} --status ...`, 'statuspage_already_open');
    }
    const componentStatus = componentStatusFor(args.impact);
    const input: IncidentInput = {
      name: `${sp.name}: ${args.impact === 'critical' ? 'service outage' : 'degraded service'}`,
      status: args.status,
      body: bodyFor(sp, args.status, args.body),
      impact: args.impact,
      components: { [sp.componentId]: componentStatus },
    };
    return {
      summary: `open a status page incident "${input.name}" (${args.status}, impact ${args.impact}) for ${args.service} in ${ctx.env}`,
      target: { service: args.service, env: ctx.env, resource: `statuspage/${sp.componentId}` },
      changes: [{ what: `component ${sp.name}`, from: 'operational', to: componentStatus }],
      data: { input },
    };
  },
  async execute(ctx, args, _progress, given) {
    const planned = given ?? (await statuspageOpen.plan!(ctx, args));
    const links = ctx.ports.statuspageLinks;
    const already = await links.current(args.service, ctx.env);
    if (already && already.requestId === ctx.requestId) return done(linkedMessage('opened', already, planned.data.input.components ?? {}));
    const incident = await port(ctx).create(planned.data.input);
    const link: StatuspageLink = {
      id: incident.id,
      service: args.service,
      env: ctx.env,
      status: args.status,
      impact: args.impact,
      ...(incident.shortlink ? { url: incident.shortlink } : {}),
      requestId: ctx.requestId,
    };
    await links.save(link);
    return done(linkedMessage('opened', link, planned.data.input.components ?? {}));
  },
};

// ---- statuspage update / resolve -------------------------------------------

export const UpdateArgs = z.object({
  incident: z.string().min(1).describe('the status page incident id (statuspage open and status show it)').register(argMeta, { positional: true }),
  status: z.enum(INCIDENT_STATUSES).describe('where the incident stands now'),
  impact: z.enum(IMPACTS).optional().describe('how bad it is for users (default: as it was)'),
  body: UpdateBody,
});
export type UpdateArgs = z.infer<typeof UpdateArgs>;

interface UpdatePlan {
  input: IncidentInput;
  link: StatuspageLink;
}

async function planUpdate(ctx: ActionContext<StatuspagePorts>, args: UpdateArgs, verb: string): Promise<Plan<UpdatePlan>> {
  port(ctx);
  const link = await ctx.ports.statuspageLinks.incident(args.incident);
  if (!link) {
    throw new UserError(`status page incident '${args.incident}' was not opened by maestro-bot (or has expired): open one with statuspage open <service>`, 'unknown_statuspage_incident');
  }
  const sp = ctx.catalog.services[link.service]?.statuspage;
  const impact = args.impact ?? link.impact;
  const componentStatus: ComponentStatus = args.status === 'resolved' ? 'operational' : componentStatusFor(impact);
  const input: IncidentInput = {
    status: args.status,
    ...(sp ? { body: bodyFor(sp, args.status, args.body) } : args.body ? { body: args.body } : {}),
    ...(args.impact ? { impact: args.impact } : {}),
    ...(sp ? { components: { [sp.componentId]: componentStatus } } : {}),
  };
  return {
    summary: `${verb} status page incident ${link.id} of ${link.service} in ${link.env}: ${link.status} → ${args.status}`,
    target: { service: link.service, env: link.env, resource: `statuspage/${link.id}` },
    changes: [
      { what: 'incident status', from: link.status, to: args.status },
      ...(sp ? [{ what: `component ${sp.name}`, from: componentStatusFor(link.impact), to: componentStatus }] : []),
    ],
    data: { input, link },
  };
}

async function executeUpdate(ctx: ActionContext<StatuspagePorts>, plan: Plan<UpdatePlan>, impact: Impact | undefined): Promise<Message> {
  const { input, link } = plan.data;
  const incident = await port(ctx).update(link.id, input);
  const next: StatuspageLink = {
    ...link,
    status: input.status,
    impact: impact ?? link.impact,
    ...(incident.shortlink ? { url: incident.shortlink } : {}),
  };
  await ctx.ports.statuspageLinks.save(next);
  return linkedMessage(input.status === 'resolved' ? 'resolved' : 'updated', next, input.components ?? {});
}

export const statuspageUpdate: Action<UpdateArgs, StatuspagePorts, UpdatePlan> = {
  name: 'statuspage update',
  summary: 'Post an update to a status page incident (new status, text, impact)',
  args: UpdateArgs,
  risk: 'low',
  examples: ['statuspage update p0abc123 --status monitoring', 'statuspage update p0abc123 --status identified --body "Bad release found"'],
  unavailable,
  plan: (ctx, args) => planUpdate(ctx, args, 'update'),
  async execute(ctx, args, _progress, given) {
    return done(await executeUpdate(ctx, given ?? (await planUpdate(ctx, args, 'update')), args.impact));
  },
};

export const ResolveArgs = z.object({
  incident: z.string().min(1).describe('the status page incident id (statuspage open and status show it)').register(argMeta, { positional: true }),
  body: z
    .string()
    .min(1)
    .max(5000)
    .optional()
    .describe("the closing text (default: the catalog's template)")
    .register(argMeta, { placeholder: '"..."' }),
});
export type ResolveArgs = z.infer<typeof ResolveArgs>;

export const statuspageResolve: Action<ResolveArgs, StatuspagePorts, UpdatePlan> = {
  name: 'statuspage resolve',
  summary: 'Resolve a status page incident and set its component back to operational',
  args: ResolveArgs,
  risk: 'low',
  examples: ['statuspage resolve p0abc123'],
  unavailable,
  plan: (ctx, args) => planUpdate(ctx, { ...args, status: 'resolved' }, 'resolve'),
  async execute(ctx, args, _progress, given) {
    return done(await executeUpdate(ctx, given ?? (await planUpdate(ctx, { ...args, status: 'resolved' }, 'resolve')), undefined));
  },
};

export const statuspageActions = [statuspageOpen, statuspageUpdate, statuspageResolve];
