import { z } from 'zod';
import type { AdminReadFormat } from '../../config/service-api-schema.js';
import { UserError } from '../../core/errors.js';
import type { Field, Severity } from '../../core/message.js';
import { redactText } from '../../core/redact.js';
import { CODE_BLOCK_LIMIT, capTail } from '../shared/code-block.js';

/**
 * One schema per answer the runbooks read, and how it reads in chat. The shapes are the
 * fields the runbooks' jq filters take: `.data[] | {orchestrationId, error, createdAt}`
 * (runbook 000), `.[] | {name, qualityScore, costPerToken, averageLatency, availability}`
 * (runbook 000), `.components`, `.coordinators[].cache_hit_rate`, `.monitored_coordinators`
 * (runbook 004). Fields a service adds beyond them are kept, not required.
 */

export interface ReadView {
  /** Half a title: `3 failed orchestrations`. */
  headline: string;
  severity: Severity;
  fields: Field[];
  code?: string;
  note?: string;
}

const percent = (n: number) => `${Number((n * 100).toFixed(1))}%`;
const text = (v: unknown) => redactText(typeof v === 'string' ? v : JSON.stringify(v));

const ComponentSchema = z.union([z.string(), z.looseObject({ status: z.string() })]);
const CoordinatorSchema = z.looseObject({ name: z.string(), cache_hit_rate: z.number().optional(), error_rate: z.number().optional() });
const HealthDetailedSchema = z.looseObject({
  status: z.string(),
  components: z.record(z.string(), ComponentSchema).default({}),
  provider: z.union([z.string(), z.looseObject({ name: z.string() })]).optional(),
  coordinators: z.array(CoordinatorSchema).default([]),
  monitored_coordinators: z.array(z.string()).optional(),
});

const OrchestrationsSchema = z.looseObject({
  data: z.array(z.looseObject({ orchestrationId: z.string(), error: z.string().nullish(), createdAt: z.string() })),
});

const ModelsSchema = z.array(
  z.looseObject({
    name: z.string(),
    availability: z.number().optional(),
    qualityScore: z.number().optional(),
    costPerToken: z.number().optional(),
    averageLatency: z.number().optional(),
  }),
);

const CheckSchema = z.looseObject({
  ok: z.boolean(),
  checks: z.array(z.looseObject({ name: z.string(), ok: z.boolean(), detail: z.string().optional() })).default([]),
});

const OK = /^(ok|healthy|up|pass(ing)?|ready)$/i;

function healthDetailed(body: z.infer<typeof HealthDetailedSchema>): ReadView {
  const components = Object.entries(body.components).map(([name, c]) => ({ name, status: typeof c === 'string' ? c : c.status }));
  const failing = components.filter((c) => !OK.test(c.status));
  const provider = body.provider === undefined ? undefined : typeof body.provider === 'string' ? body.provider : body.provider.name;
  const fields: Field[] = [
    { label: 'status', value: text(body.status) },
    ...(provider ? [{ label: 'provider', value: text(provider) }] : []),
    ...components.map((c) => ({ label: c.name, value: text(c.status) })),
  ];
  const lines = body.coordinators.map(
    (c) => `${c.name.padEnd(24)} cache hit ${c.cache_hit_rate === undefined ? '?' : percent(c.cache_hit_rate)}  errors ${c.error_rate === undefined ? '?' : percent(c.error_rate)}`,
  );
  return {
    headline: `${text(body.status)}${failing.length > 0 ? `, ${failing.map((c) => c.name).join(', ')} not OK` : ''}`,
    // A component not OK under an OK status (a cold cache) is a warning; the service saying it is not OK is critical.
    severity: !OK.test(body.status) ? 'critical' : failing.length > 0 ? 'warning' : 'success',
    fields: fields.slice(0, 10),
    ...(lines.length > 0 ? { code: capTail(lines).code } : {}),
    ...(body.monitored_coordinators ? { note: `monitored coordinators: ${body.monitored_coordinators.map(text).join(', ') || 'none'}` } : {}),
  };
}

function orchestrations(body: z.infer<typeof OrchestrationsSchema>): ReadView {
  const lines = body.data.map((o) => `${text(o.createdAt)}  ${text(o.orchestrationId)}  ${o.error ? text(o.error) : '(no error given)'}`);
  const capped = capTail(lines);
  return {
    headline: `${body.data.length} failed orchestration${body.data.length === 1 ? '' : 's'}`,
    severity: body.data.length === 0 ? 'success' : 'warning',
    fields: [],
    ...(lines.length > 0 ? { code: capped.code } : {}),
    ...(capped.note ? { note: capped.note } : {}),
  };
}

function models(body: z.infer<typeof ModelsSchema>): ReadView {
  // Runbook 000's morning check lists the models above 95% availability.
  const low = body.filter((m) => m.availability !== undefined && m.availability <= 0.95);
  const lines = body.map((m) =>
    [
      text(m.name).padEnd(20),
      m.availability === undefined ? 'availability ?' : `availability ${percent(m.availability)}${m.availability <= 0.95 ? ' LOW' : ''}`,
      m.qualityScore === undefined ? '' : `quality ${m.qualityScore}`,
      m.averageLatency === undefined ? '' : `latency ${m.averageLatency} ms`,
      m.costPerToken === undefined ? '' : `cost ${m.costPerToken}/token`,
    ]
      .filter(Boolean)
      .join('  '),
  );
  return {
    headline: `${body.length} model${body.length === 1 ? '' : 's'}${low.length > 0 ? `, ${low.length} at or below 95% availability` : ''}`,
    severity: body.length === 0 || low.length > 0 ? 'warning' : 'success',
    fields: [],
    ...(lines.length > 0 ? { code: capTail(lines).code } : {}),
  };
}

function check(body: z.infer<typeof CheckSchema>): ReadView {
  const failing = body.checks.filter((c) => !c.ok);
  return {
    headline: body.ok ? 'passed' : `failed${failing.length > 0 ? `: ${failing.map((c) => text(c.name)).join(', ')}` : ''}`,
    severity: body.ok ? 'success' : 'critical',
    fields: body.checks.slice(0, 10).map((c) => ({ label: text(c.name), value: `${c.ok ? 'ok' : 'FAILED'}${c.detail ? ` (${text(c.detail)})` : ''}` })),
  };
}

function json(body: unknown): ReadView {
  const pretty = redactText(JSON.stringify(body, null, 2));
  const cut = pretty.length > CODE_BLOCK_LIMIT;
  return {
    headline: 'answered',
    severity: 'info',
    fields: [],
    code: cut ? `${pretty.slice(0, CODE_BLOCK_LIMIT - 20)}\n…[cut]` : pretty,
    ...(cut ? { note: `answer cut at ${CODE_BLOCK_LIMIT} of ${pretty.length} characters` } : {}),
  };
}

function parsed<S extends z.ZodType>(schema: S, body: unknown, format: string, what: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = issue.path.length > 0 ? issue.path.join('.') : 'the top level';
  throw new UserError(`${what} answered JSON that does not fit its declared format '${format}' (at ${at}: ${issue.message})`, 'service_api_shape');
}

/** The answer read by its declared format; a UserError naming the first field that does not fit. */
export function readView(format: AdminReadFormat, body: unknown, what: string): ReadView {
  switch (format) {
    case 'health-detailed':
      return healthDetailed(parsed(HealthDetailedSchema, body, format, what));
    case 'orchestrations':
      return orchestrations(parsed(OrchestrationsSchema, body, format, what));
    case 'models':
      return models(parsed(ModelsSchema, body, format, what));
    case 'check':
      return check(parsed(CheckSchema, body, format, what));
    case 'json':
      return json(body);
  }
}
