import { z } from 'zod';
import { IndicatorSchema } from './indicator-schema.js';

/**
 * What a service's own HTTP API offers the bot, declared beside its cacheWarm: the health
 * probes `health` calls, the admin reads and actions of `admin` and `admin run`, and the
 * dependency checks of `deps`. Paths are appended to the env's `adminUrl`, as
 * `cacheWarm.path` is, so the sandbox can serve them all under its own admin URL.
 */

const apiPath = z.string().regex(/^\/[\w\-./?=&%]*$/, 'must be a path on the service, like /health/ready');

const WORD = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * A record keyed by names the verbs take as a word: lower-case, dashes between parts
 * (`health-detailed`). Checked here rather than by a key schema, whose failure zod reports
 * only as "Invalid key in record".
 */
function wordKeyed<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!WORD.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'must be lower-case words joined by dashes, like health-detailed' });
    }
  });
}

/**
 * Probe name → path (runbook 004: `/health`, `/health/ready`, `/health/live`). `ready` and
 * `live` are read as readiness and liveness; any other name as overall health.
 */
export const HealthProbesSchema = wordKeyed(apiPath).refine((p) => Object.keys(p).length > 0, 'must declare at least one probe (leave healthProbes out to have none)');

/**
 * How `admin` reads an answer: each format is one schema in src/verbs/admin/read-formats.ts;
 * `json` shows any JSON as indented text.
 */
export const AdminReadFormat = z.enum(['health-detailed', 'orchestrations', 'models', 'check', 'json']);
export type AdminReadFormat = z.infer<typeof AdminReadFormat>;

export const AdminReadSchema = z.strictObject({
  description: z.string().min(1),
  /** GET on the service; read-only by declaration, so `admin` answers it at once. */
  path: apiPath,
  format: AdminReadFormat.default('json'),
});
export type AdminRead = z.infer<typeof AdminReadSchema>;

/** The parameters `admin run` has flags for (`--provider`, `--coordinator`): a catalog action may take only these. */
export const AdminParamName = z.enum(['provider', 'coordinator']);
export type AdminParamName = z.infer<typeof AdminParamName>;

export const AdminParamSchema = z.strictObject({
  description: z.string().min(1),
  /** The values the service accepts; anything else is refused before the call. */
  values: z.array(z.string().min(1)).min(1),
  required: z.boolean().default(false),
});

export const AdminActionSchema = z.strictObject({
  description: z.string().min(1),
  /** POSTed with the given parameters as a JSON body; a changing call, so planned, confirmed and run as a job. */
  path: apiPath,
  params: z.partialRecord(AdminParamName, AdminParamSchema).default({}),
});
export type AdminAction = z.infer<typeof AdminActionSchema>;

export const AdminApiSchema = z.strictObject({
  reads: wordKeyed(AdminReadSchema).default({}),
  actions: wordKeyed(AdminActionSchema).default({}),
});
export type AdminApi = z.infer<typeof AdminApiSchema>;

/** A Prometheus query graded like an indicator (its thresholds, its units). */
export const QueryDependencySchema = IndicatorSchema.safeExtend({ kind: z.literal('query') });

/** A GET on the service's API that answers 2xx while the dependency is reachable; slower than `warningMs` is a warning. */
export const HttpDependencySchema = z.strictObject({
  kind: z.literal('http'),
  description: z.string().min(1),
  path: apiPath,
  warningMs: z.number().int().positive().default(1000),
});

export const DependencySchema = z.discriminatedUnion('kind', [QueryDependencySchema, HttpDependencySchema]);
export type Dependency = z.infer<typeof DependencySchema>;
