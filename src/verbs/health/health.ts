import { z } from 'zod';
import { done } from '../../core/action-result.js';
import type { Action, ActionContext } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import type { Field, Message } from '../../core/message.js';
import { redactText } from '../../core/redact.js';
import { adminBase, describeAnswer, errorText, httpOf, isSuccess, type ServiceAnswer, type ServiceApiPorts, timeoutOf } from '../admin/service-api.js';
import { resolveTarget, type Target } from '../shared/target.js';

export type HealthPorts = ServiceApiPorts;

export const HealthArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose health endpoints to call').register(argMeta, { positional: true, kind: 'service' }),
});
export type HealthArgs = z.infer<typeof HealthArgs>;

export interface ProbeResult {
  name: string;
  url: string;
  /** `ok` a 2xx answer; `failing` any other status; `timeout` no answer in time; `unreachable` no connection. */
  outcome: 'ok' | 'failing' | 'timeout' | 'unreachable';
  status?: number;
  latencyMs: number;
}

export interface HealthFacts {
  probes: ProbeResult[];
}

interface Probe {
  name: string;
  url: string;
}

/**
 * The catalog's probes on the admin URL, then the env's healthUrl (what verification
 * calls) unless a probe is that same address: both are what an on-call engineer curls.
 */
function probesOf(ctx: ActionContext<HealthPorts>, target: Target): Probe[] {
  const probes: Probe[] = [];
  const declared = Object.entries(target.spec.healthProbes ?? {});
  if (declared.length > 0) {
    const base = adminBase(ctx, target, 'call its health probes');
    for (const [name, path] of declared) probes.push({ name, url: `${base}${path}` });
  }
  const catalogBase = target.envSpec.adminUrl?.replace(/\/+$/, '');
  const healthUrl = target.envSpec.healthUrl;
  const covered = declared.some(([, path]) => catalogBase !== undefined && `${catalogBase}${path}` === healthUrl);
  if (healthUrl && !covered) {
    const url = ctx.ports.endpoints?.health(target.service, target.env, target.envSpec) ?? healthUrl;
    probes.push({ name: declared.some(([name]) => name === 'health') ? 'healthUrl' : 'health', url });
  }
  if (probes.length === 0) {
    throw new UserError(
      `${target.service} in ${target.env} has no health endpoint in the catalog (give the env a healthUrl, or the service healthProbes and the env an adminUrl)`,
      'no_health_endpoint',
    );
  }
  return probes;
}

function outcomeOf(answer: ServiceAnswer): ProbeResult['outcome'] {
  if (answer.kind !== 'answered') return answer.kind;
  return isSuccess(answer) ? 'ok' : 'failing';
}

/** What the body says about itself, if it is the usual `{status, reason}` JSON: `unhealthy: no ready pods`. */
function bodySays(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { status?: unknown; reason?: unknown };
    const status = typeof parsed?.status === 'string' ? parsed.status : undefined;
    const reason = typeof parsed?.reason === 'string' ? parsed.reason : errorText(body);
    const text = [status, reason].filter(Boolean).join(': ');
    return text ? redactText(text.slice(0, 200)) : undefined;
  } catch {
    return undefined;
  }
}

function describeProbe(answer: ServiceAnswer, timeoutMs: number): string {
  if (answer.kind !== 'answered') return describeAnswer(answer, timeoutMs);
  const says = bodySays(answer.body);
  return `${answer.status} in ${answer.latencyMs} ms${says ? ` (${says})` : ''}`;
}

export const health: Action<HealthArgs, HealthPorts, unknown, HealthFacts> = {
  name: 'health',
  summary: "Call a service's health, readiness and liveness endpoints now: status and latency of each",
  args: HealthArgs,
  risk: 'read',
  examples: ['health victor-coordinators', 'health maestro-orchestrator --env prod'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const probes = probesOf(ctx, target);
    const timeoutMs = timeoutOf(ctx);
    const http = httpOf(ctx);
    // In parallel, each bounded: one hung probe costs its own timeout, not the others'.
    const answers = await Promise.all(probes.map((p) => http.call({ method: 'GET', url: p.url, timeoutMs })));
    const results: ProbeResult[] = probes.map((p, i) => {
      const answer = answers[i]!;
      return { name: p.name, url: p.url, outcome: outcomeOf(answer), latencyMs: answer.latencyMs, ...(answer.kind === 'answered' ? { status: answer.status } : {}) };
    });
    const bad = results.filter((r) => r.outcome !== 'ok');
    const fields: Field[] = probes.map((p, i) => ({ label: p.name, value: describeProbe(answers[i]!, timeoutMs) }));
    const message: Message = {
      title:
        bad.length === 0
          ? `${target.service} in ${target.env}: all ${results.length} health endpoint${results.length === 1 ? '' : 's'} answer OK`
          : `${target.service} in ${target.env}: ${bad.map((r) => r.name).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not OK`,
      severity: bad.length === 0 ? 'success' : 'critical',
      fields,
      footer: `each call bounded at ${timeoutMs} ms; namespace ${target.ref.namespace}`,
    };
    return done(message, { probes: results });
  },
};
