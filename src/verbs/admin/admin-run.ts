import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AdminAction, AdminParamName } from '../../config/service-api-schema.js';
import { done, failed } from '../../core/action-result.js';
import type { Action, ActionContext, ActionResult, Plan } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import { resolveTarget } from '../shared/target.js';
import { declared } from './admin.js';
import { adminBase, describeAnswer, errorText, httpOf, type ServiceApiPorts } from './service-api.js';

export type AdminRunPorts = ServiceApiPorts;

export const AdminRunArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose admin action to run').register(argMeta, { positional: true, kind: 'service' }),
  action: z.string().min(1).describe('one of the actions the catalog declares for the service (restart-provider, clear-cache, ...)').register(argMeta, { positional: true, placeholder: 'ACTION' }),
  provider: z.string().min(1).optional().describe('the provider, for an action that takes one (restart-provider)').register(argMeta, { placeholder: 'P' }),
  coordinator: z.string().min(1).optional().describe('the coordinator, for an action that takes one (clear-cache; without it, all)').register(argMeta, { placeholder: 'C' }),
});
export type AdminRunArgs = z.infer<typeof AdminRunArgs>;

export interface AdminRunPlanData {
  url: string;
  body: Partial<Record<AdminParamName, string>>;
  /** Sent as Idempotency-Key: a retried job repeats the same request, which the service answers once. */
  key: string;
}

/** A changing admin call answers within seconds; longer than this and we say we do not know how it ended. */
const ACTION_TIMEOUT_MS = 10_000;

const PARAMS: readonly AdminParamName[] = ['provider', 'coordinator'];

/** The body the declaration allows: every required parameter given, each given one declared and one of its values. */
function bodyOf(service: string, name: string, action: AdminAction, args: AdminRunArgs): AdminRunPlanData['body'] {
  const body: AdminRunPlanData['body'] = {};
  for (const param of PARAMS) {
    const spec = action.params[param];
    const given = args[param];
    if (given === undefined) {
      if (spec?.required) throw new UserError(`${name} on ${service} needs --${param} (one of: ${spec.values.join(', ')})`, 'missing_argument');
      continue;
    }
    if (!spec) {
      const takes = Object.keys(action.params).map((p) => `--${p}`);
      throw new UserError(`${name} on ${service} takes no --${param} (it takes ${takes.join(', ') || 'no flags'})`, 'unknown_flag');
    }
    if (!spec.values.includes(given)) {
      throw new UserError(`--${param} '${given.slice(0, 40)}' is not one ${name} on ${service} accepts (allowed: ${spec.values.join(', ')})`, 'invalid_choice');
    }
    body[param] = given;
  }
  return body;
}

async function plan(ctx: ActionContext<AdminRunPorts>, args: AdminRunArgs): Promise<Plan<AdminRunPlanData>> {
  const target = resolveTarget(ctx, args.service);
  const action = declared(ctx, target, 'actions', args.action);
  const body = bodyOf(target.service, args.action, action, args);
  const url = `${adminBase(ctx, target, `run ${args.action}`)}${action.path}`;
  const given = Object.entries(body).map(([k, v]) => `--${k} ${v}`);
  return {
    summary: `${args.action}${given.length > 0 ? ` ${given.join(' ')}` : ''} on ${target.service} in ${ctx.env} (namespace ${target.ref.namespace}): POST ${action.path}`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `admin${action.path}` },
    changes: [{ what: action.description, from: 'not run', to: given.length > 0 ? `run with ${given.join(' ')}` : 'run' }],
    data: { url, body, key: randomUUID() },
  };
}

/** What a 2xx body says it did, if it says so in `status` or `message`. */
function saidDone(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { status?: unknown; message?: unknown };
    const said = typeof parsed?.message === 'string' ? parsed.message : typeof parsed?.status === 'string' ? parsed.status : undefined;
    return said ? redactText(said.slice(0, 300)) : undefined;
  } catch {
    return undefined;
  }
}

async function execute(ctx: ActionContext<AdminRunPorts>, args: AdminRunArgs, _progress: unknown, given?: Plan<AdminRunPlanData>): Promise<ActionResult> {
  const { data } = given ?? (await plan(ctx, args));
  const timeoutMs = ctx.ports.serviceTimeoutMs ?? ACTION_TIMEOUT_MS;
  const answer = await httpOf(ctx).call({ method: 'POST', url: data.url, body: data.body, headers: { 'idempotency-key': data.key }, timeoutMs });
  const where = `${args.action} on ${args.service} in ${ctx.env}`;
  if (answer.kind !== 'answered') {
    return failed({
      title: `${where}: the admin API ${describeAnswer(answer, timeoutMs)}`,
      severity: 'critical',
      text: `It may or may not have run. Check with \`admin ${args.service} health-detailed\` (or the service's logs) before running it again.`,
    });
  }
  const detail = errorText(answer.body);
  if (answer.status >= 400 && answer.status < 500) {
    // The service declined the request itself: nothing ran.
    return { outcome: 'refused', message: { title: `${where} was refused: HTTP ${answer.status}${detail ? `: ${detail}` : ''}`, severity: 'warning' } };
  }
  if (answer.status >= 300) {
    return failed({ title: `${where} failed: HTTP ${answer.status}${detail ? `: ${detail}` : ''}`, severity: 'critical', text: "See the service's logs." });
  }
  const said = saidDone(answer.body);
  ctx.log.info({ service: args.service, env: ctx.env, action: args.action, status: answer.status }, 'admin action ran');
  return done({
    title: `Ran ${where}`,
    severity: 'success',
    ...(said ? { text: said } : {}),
    fields: [
      { label: 'Answer', value: `HTTP ${answer.status} in ${answer.latencyMs} ms` },
      ...Object.entries(data.body).map(([k, v]) => ({ label: k, value: v })),
    ],
  });
}

export const adminRun: Action<AdminRunArgs, AdminRunPorts, AdminRunPlanData> = {
  name: 'admin run',
  summary: "Run one of the service's admin actions (victor admin restart-provider, clear-cache) through its admin API",
  args: AdminRunArgs,
  risk: 'low',
  // Not declared a mitigation: `clear-cache` cools the cache on purpose, and verification would call that a regression.
  examples: ['admin run victor-coordinators restart-provider --provider anthropic', 'admin run victor-coordinators clear-cache'],
  plan,
  execute,
};
