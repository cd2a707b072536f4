import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, Unavailable } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { resolveTarget } from '../shared/target.js';

/** What `page` needs; src/incidents/incident-pager.ts implements it over PagerDuty Events v2. */
export interface PagePort {
  page(summary: string, details: Record<string, unknown>, options?: { dedupKey?: string }): Promise<{ dedupKey: string }>;
  /** About an alert's incident: on its own dedup key, routing key and severity, linking its card threads. */
  pageIncident?(number: number, summary: string): Promise<{ dedupKey: string }>;
  /** Throws a UserError when the service has no routing key of its own in this env. */
  checkRoute?(service: string, env: string): void;
  /** Whether `escalate` can write to PagerDuty's REST API. */
  readonly canEscalate?: boolean;
  /** Moves the incident opened by `dedupKey` to a level of its escalation policy. */
  escalate?(dedupKey: string, level: number): Promise<unknown>;
}

export interface PagePorts {
  /** Absent when PagerDuty is not configured. */
  pager?: PagePort;
}

export const PageArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose on-call to page').register(argMeta, { positional: true, kind: 'service' }),
  summary: z.string().trim().min(3, 'say what is wrong, in quotes').max(1024).describe('what is wrong, in quotes').register(argMeta, { positional: true }),
  incident: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("page about the incident with this number (its card's footer): its dedup key, severity and thread links")
    .register(argMeta, { placeholder: 'N' }),
  level: z
    .number()
    .int()
    .min(2, 'a page reaches level 1 already; --level is 2 or 3')
    .max(3, 'the escalation matrix has three levels; --level is 2 or 3')
    .optional()
    .describe("escalate to this level of the service's escalation matrix (2 or 3) once paged")
    .register(argMeta, { placeholder: '2|3' }),
});
export type PageArgs = z.infer<typeof PageArgs>;

const UNCONFIGURED = 'PagerDuty is not configured (set the routing key variables the catalog names)';

function unavailable(ports: PagePorts): Unavailable[] {
  return ports.pager ? [] : [{ reason: UNCONFIGURED }];
}

interface PagePlan {
  dedupKey: string;
}

const NO_REST = 'escalating needs the PagerDuty REST API: set PAGERDUTY_API_TOKEN and PAGERDUTY_FROM_EMAIL, or escalate in PagerDuty';

/** "level 2 (Senior Platform Engineer, responds within 30m)", from the catalog's matrix; refuses a level it does not have. */
function levelText(ctx: ActionContext<PagePorts>, service: string, level: number): string {
  const matrix = ctx.catalog.services[service]?.escalation ?? [];
  if (matrix.length === 0) return `level ${level}`;
  const step = matrix[level - 1];
  if (!step) {
    throw new UserError(`${service}'s escalation matrix has ${matrix.length} level${matrix.length === 1 ? '' : 's'}; --level ${level} reaches no one`, 'bad_level');
  }
  return `level ${level} (${step.who}${step.respondsWithin ? `, responds within ${step.respondsWithin}` : ''})`;
}

/**
 * Pages the on-call of a service by hand. It changes the world (someone's phone
 * rings), so it is `low` risk and runs as a job: the job's retries cover PagerDuty
 * 5xx and network errors, which pdjs does not retry, and the dedup key fixed in the
 * plan (from the request id) makes a retried job the same page, never a second one.
 */
export const page: Action<PageArgs, PagePorts, PagePlan> = {
  name: 'page',
  summary: 'Page the on-call of a service through PagerDuty',
  args: PageArgs,
  risk: 'low',
  examples: ['page maestro-orchestrator "error rate at 30% after the 14:02 deploy"', 'page maestro-orchestrator "still failing after the rollback" --level 2'],
  unavailable,

  async plan(ctx: ActionContext<PagePorts>, args: PageArgs): Promise<Plan<PagePlan>> {
    resolveTarget(ctx, args.service);
    if (!ctx.ports.pager) throw new UserError(`${UNCONFIGURED}; page the on-call by phone`, 'pagerduty_unconfigured');
    const pager = ctx.ports.pager;
    if (args.incident !== undefined && !pager.pageIncident) throw new UserError('this bot keeps no incidents to page about; leave out --incident', 'incidents_unavailable');
    // An incident pages on its own group's routing key; a page by hand on the service's key in this env.
    if (args.incident === undefined) pager.checkRoute?.(args.service, ctx.env);
    const level = args.level === undefined ? undefined : levelText(ctx, args.service, args.level);
    if (level && (!pager.escalate || !pager.canEscalate)) throw new UserError(NO_REST, 'pagerduty_unconfigured');
    return {
      summary: `page the on-call of ${args.service} in ${ctx.env}: "${args.summary}"${level ? `, escalated to ${level}` : ''}`,
      target: { service: args.service, env: ctx.env },
      changes: [
        { what: 'PagerDuty', from: 'quiet', to: 'triggered' },
        ...(level ? [{ what: 'escalation', from: 'level 1', to: level }] : []),
      ],
      data: { dedupKey: `maestro-page-${ctx.requestId}`.slice(0, 255) },
    };
  },

  async execute(ctx, args, _progress, plan) {
    const pager = ctx.ports.pager;
    if (!pager) throw new UserError('PagerDuty is not configured; page the on-call by phone', 'pagerduty_unconfigured');
    if (args.incident !== undefined && pager.pageIncident) {
      // The incident's dedup key is its group's: a retried job, or a page a person sent about it, is the same page.
      const { dedupKey } = await pager.pageIncident(args.incident, args.summary);
      await escalate(pager, dedupKey, args.level);
      return paged(ctx, args);
    }
    const dedupKey = plan?.data.dedupKey ?? `maestro-page-${ctx.requestId}`;
    await pager.page(args.summary, {
      service: args.service,
      env: ctx.env,
      requestedBy: ctx.actor.name,
      platform: ctx.actor.platform,
      ...(ctx.conversation ? { conversation: ctx.conversation.name ?? ctx.conversation.id } : {}),
      ...(ctx.reason ? { reason: ctx.reason } : {}),
    }, { dedupKey });
    await escalate(pager, dedupKey, args.level);
    return paged(ctx, args);
  },
};

/** Setting the same level again changes nothing, so a retried job may run this twice. */
async function escalate(pager: PagePort, dedupKey: string, level: number | undefined): Promise<void> {
  if (level === undefined) return;
  if (!pager.escalate || !pager.canEscalate) throw new UserError(NO_REST, 'pagerduty_unconfigured');
  await pager.escalate(dedupKey, level);
}

function paged(ctx: ActionContext<PagePorts>, args: PageArgs): ActionResult {
  return done({
    title: `Paged the on-call of ${args.service}`,
    severity: 'success',
    fields: [
      { label: 'Summary', value: args.summary },
      { label: 'Environment', value: ctx.env },
      ...(args.incident === undefined ? [] : [{ label: 'Incident', value: String(args.incident) }]),
      ...(args.level === undefined ? [] : [{ label: 'Escalated to', value: levelText(ctx, args.service, args.level) }]),
      { label: 'Requested by', value: ctx.actor.name },
    ],
  });
}
