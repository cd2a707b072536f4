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
});
export type PageArgs = z.infer<typeof PageArgs>;

const UNCONFIGURED = 'PagerDuty is not configured (set the routing key variables the catalog names)';

function unavailable(ports: PagePorts): Unavailable[] {
  return ports.pager ? [] : [{ reason: UNCONFIGURED }];
}

interface PagePlan {
  dedupKey: string;
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
  examples: ['page maestro-orchestrator "error rate at 30% after the 14:02 deploy"'],
  unavailable,

  async plan(ctx: ActionContext<PagePorts>, args: PageArgs): Promise<Plan<PagePlan>> {
    resolveTarget(ctx, args.service);
    if (!ctx.ports.pager) throw new UserError(`${UNCONFIGURED}; page the on-call by phone`, 'pagerduty_unconfigured');
    if (args.incident !== undefined && !ctx.ports.pager.pageIncident) throw new UserError('this bot keeps no incidents to page about; leave out --incident', 'incidents_unavailable');
    return {
      summary: `page the on-call of ${args.service} in ${ctx.env}: "${args.summary}"`,
      target: { service: args.service, env: ctx.env },
      changes: [{ what: 'PagerDuty', from: 'quiet', to: 'triggered' }],
      data: { dedupKey: `maestro-page-${ctx.requestId}`.slice(0, 255) },
    };
  },

  async execute(ctx, args, _progress, plan) {
    const pager = ctx.ports.pager;
    if (!pager) throw new UserError('PagerDuty is not configured; page the on-call by phone', 'pagerduty_unconfigured');
    if (args.incident !== undefined && pager.pageIncident) {
      // The incident's dedup key is its group's: a retried job, or a page a person sent about it, is the same page.
      await pager.pageIncident(args.incident, args.summary);
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
    return paged(ctx, args);
  },
};

function paged(ctx: ActionContext<PagePorts>, args: PageArgs): ActionResult {
  return done({
    title: `Paged the on-call of ${args.service}`,
    severity: 'success',
    fields: [
      { label: 'Summary', value: args.summary },
      { label: 'Environment', value: ctx.env },
      ...(args.incident === undefined ? [] : [{ label: 'Incident', value: String(args.incident) }]),
      { label: 'Requested by', value: ctx.actor.name },
    ],
  });
}
