import { z } from 'zod';
import { channelsShape, platformSectionsShape } from '../platforms/catalog-fragments.js';
import { channelPlatformNames } from '../platforms/index.js';
import { name } from './dns-name.js';
import { IndicatorSchema } from './indicator-schema.js';
import { checkPolicy, PolicySchema } from './policy-schema.js';
import { AdminApiSchema, DependencySchema, HealthProbesSchema } from './service-api-schema.js';

/**
 * The service catalog: what the runbooks say, as data. Everything the bot knows
 * about a service (where it runs, what may be changed, how healthy looks) comes
 * from here, so the code never hard-codes a namespace or a threshold.
 */

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** A Prometheus duration as rules take it in `for:` (`0s` fires on the first evaluation) and ranges. */
const ruleDuration = z.string().regex(/^\d+[smhd]$/, 'must be a duration like 0s, 5m or 1h');

export const Severity = z.enum(['P0', 'P1', 'P2', 'P3', 'P4']);
export type Severity = z.infer<typeof Severity>;

export const EnvironmentSchema = z.strictObject({
  /** Changing actions here need an explicit confirmation (button, --yes or a prompt). */
  protected: z.boolean(),
  description: z.string().optional(),
});

export const ReplicaBounds = z
  .strictObject({ min: z.number().int().min(0), max: z.number().int().min(1) })
  .refine((b) => b.min <= b.max, { message: 'min must not exceed max' });

export const ServiceEnvSchema = z.strictObject({
  namespace: name,
  deployment: name,
  /** Label selector of the service's pods, as kubectl takes it: `app=maestro-orchestrator`. */
  selector: z.string().regex(/^[\w./-]+=[\w.-]+(,[\w./-]+=[\w.-]+)*$/, 'must be key=value[,key=value]'),
  /** The container whose env a provider switch changes. */
  container: name,
  replicas: ReplicaBounds,
  /** ConfigMap holding the service's runtime flags. */
  configMap: name.optional(),
  healthUrl: z.url().optional(),
  /** Base URL of the service's admin API (cache warm); the catalog's paths are appended to it. */
  adminUrl: z.url().optional(),
  /** PagerDuty Events v2 routing key: the name of the env var that holds it, never the key itself. */
  pagerdutyRoutingKeyEnv: envVarName.optional(),
});

export const ProviderSchema = z.strictObject({
  description: z.string(),
  /** Container env set by `provider <service> <name>` (the runbook's `kubectl set env`). */
  env: z.record(envVarName, z.string()).refine((e) => Object.keys(e).length > 0, 'must set at least one variable'),
});

export const CacheWarmSchema = z.strictObject({
  /** Admin endpoint path on the service, e.g. /admin/cache/warm. */
  path: z.string().startsWith('/'),
  coordinators: z.array(z.string().min(1)).min(1),
  defaultItems: z.number().int().positive(),
  maxItems: z.number().int().positive(),
});


/** Status page wording per incident status; `{name}` is the component's public name. */
export const StatuspageTemplatesSchema = z.strictObject({
  investigating: z.string().min(1).optional(),
  identified: z.string().min(1).optional(),
  monitoring: z.string().min(1).optional(),
  resolved: z.string().min(1).optional(),
});

export const StatuspageServiceSchema = z.strictObject({
  /** The Statuspage component this service is shown as. */
  componentId: z.string().min(1),
  /** The component's public name, used in incident titles. */
  name: z.string().min(1),
  templates: StatuspageTemplatesSchema.default({}),
});

/** A service's channels on each platform that has them (src/platforms/index.ts). */
export const ChannelsSchema = z.strictObject(channelsShape);
export type Channels = z.infer<typeof ChannelsSchema>;

/** Where alerts go when no service claims them; the same shape as a service's `channels`, and never empty. */
export const AlertChannelsSchema = ChannelsSchema.refine((c) => channelPlatformNames.some((p) => c[p].length > 0), {
  message: `must name at least one ${channelPlatformNames.join(' or ')} channel (leave alertChannels out to have no default)`,
});

export const ServiceSchema = z.strictObject({
  description: z.string(),
  owner: z.string(),
  runbook: z.string().optional(),
  /** The image repository the service's container runs from, without a tag: `deploy --image-tag T` runs `<image>:T`. */
  image: z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'must be an image repository without a tag, like ghcr.io/org/name').optional(),
  dashboards: z.array(z.strictObject({ name: z.string(), url: z.string() })).default([]),
  envs: z.record(name, ServiceEnvSchema).refine((e) => Object.keys(e).length > 0, 'at least one environment'),
  flags: z.array(envVarName).default([]),
  providers: z.record(name, ProviderSchema).default({}),
  cacheWarm: CacheWarmSchema.optional(),
  /** The probes `health` calls, on the env's adminUrl; without them `health` calls the env's healthUrl. */
  healthProbes: HealthProbesSchema.optional(),
  /** Reads and actions of the service's admin API (`admin`, `admin run`), on the env's adminUrl. */
  admin: AdminApiSchema.optional(),
  /** The read-only checks of what the service depends on (`deps`), graded like indicators. */
  dependencies: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case name like redis_memory'), DependencySchema).default({}),
  statuspage: StatuspageServiceSchema.optional(),
  github: z
    .strictObject({ repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/), workflow: z.string(), ref: z.string().default('main') })
    .optional(),
  channels: ChannelsSchema,
  /** The runbook's escalation matrix, level 1 first: who `page --level N` reaches (the levels of the service's PagerDuty escalation policy). */
  escalation: z
    .array(z.strictObject({ who: z.string().min(1), respondsWithin: z.string().regex(/^\d+[smh]$/).optional() }))
    .max(3, 'the escalation matrix has three levels at most (page --level 2|3)')
    .default([]),
  indicators: z.record(z.string(), IndicatorSchema).default({}),
  verification: z
    .strictObject({ window: z.string().regex(/^\d+[smh]$/), resolvePagerDutyOnPass: z.boolean().default(false) })
    .default({ window: '10m', resolvePagerDutyOnPass: false }),
});

export const AlertActionSchema = z.strictObject({
  label: z.string().min(1).max(75),
  /** A command in the bot's grammar; `{service}` and `{env}` are filled from the alert. */
  command: z.string().min(1),
  style: z.enum(['primary', 'danger', 'default']).default('default'),
});

/**
 * Teams shows at most six buttons on a card and Acknowledge and Resolve take two:
 * a fifth suggested action would be left off every Teams card of the alert.
 */
export const MAX_ALERT_ACTIONS = 4;
const AlertActions = z
  .array(AlertActionSchema)
  .max(MAX_ALERT_ACTIONS, `at most ${MAX_ALERT_ACTIONS} suggested actions: a card shows six buttons, and Acknowledge and Resolve take two`)
  .default([]);

export const AlertSchema = z.strictObject({
  service: name,
  severity: Severity,
  summary: z.string(),
  runbook: z.string().optional(),
  /**
   * The PromQL that fires the alert. manifests/prometheus/ is generated from it
   * (scripts/prometheus-rules.ts); an alert without one is only routed, for rules
   * someone else's Prometheus owns.
   */
  expr: z.string().min(1).optional(),
  /** How long `expr` must hold before the alert fires. */
  for: ruleDuration.optional(),
  /** The runbook gives a prose trigger only: which metric, threshold or duration this expression chose, and why. */
  derived: z.string().min(1).optional(),
  /** The service's health indicator that shows this alert's signal in `status`. */
  indicator: z.string().min(1).optional(),
  actions: AlertActions,
});

export const CatalogSchema = z
  .strictObject({
    defaults: z.strictObject({
      env: name,
      /** Severities that page PagerDuty. */
      pagingSeverities: z.array(Severity).default(['P0', 'P1']),
      /**
       * Per platform, where the card of an alert goes when its labels name no catalog
       * service, or its service has no channel on that platform.
       */
      alertChannels: AlertChannelsSchema.optional(),
      /**
       * The range of the `[{range}]` selectors in indicator queries and alert exprs: the
       * runbooks' 5m. A drill sets it short to compress time; windows that mean something
       * of their own (restarts in 10m, a day's tokens) are written out instead.
       */
      range: ruleDuration.default('5m'),
    }),
    environments: z.record(name, EnvironmentSchema),
    services: z.record(name, ServiceSchema),
    /** Named sets of services that `restart --all <group>` and `scale --all <group> N` change together. */
    groups: z.record(name, z.array(name).min(1, 'must list at least one service')).default({}),
    alerts: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an alert name'), AlertSchema),
    /** Buttons offered on cards for alerts the catalog does not know. */
    genericAlertActions: AlertActions,
    /** Who may do what where; without it every known and unknown user is read-only except as rules allow. */
    policy: PolicySchema.default({ roles: {}, unknownUsers: 'read-only', approval: { ttl: '10m' }, breakGlass: { roles: [] }, rules: [] }),
    /** Each platform's own settings, where it has any (src/platforms/<name>/platform.ts `catalog`). */
    platforms: z.strictObject(platformSectionsShape).prefault({}),
  })
  .superRefine((catalog, ctx) => {
    if (!(catalog.defaults.env in catalog.environments)) {
      ctx.addIssue({ code: 'custom', path: ['defaults', 'env'], message: `unknown environment '${catalog.defaults.env}'` });
    }
    for (const [svcName, svc] of Object.entries(catalog.services)) {
      for (const envName of Object.keys(svc.envs)) {
        if (!(envName in catalog.environments)) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', svcName, 'envs', envName],
            message: `unknown environment '${envName}' (known: ${Object.keys(catalog.environments).join(', ')})`,
          });
        }
      }
      for (const [envName, env] of Object.entries(svc.envs)) {
        if (svc.flags.length > 0 && !env.configMap) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', svcName, 'envs', envName, 'configMap'],
            message: 'required when the service has flags',
          });
        }
      }
    }
    checkGroups(catalog, ctx);
    checkPolicy(catalog, ctx);
    for (const [alertName, alert] of Object.entries(catalog.alerts)) {
      if (!(alert.service in catalog.services)) {
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', alertName, 'service'],
          message: `unknown service '${alert.service}'`,
        });
      }
      checkAlertRule(alertName, alert, catalog.services[alert.service]?.indicators ?? {}, ctx);
    }
  })
  .transform(withRange);

export type Catalog = z.infer<typeof CatalogSchema>;

/** Every `{range}` in indicator and dependency queries and alert exprs, filled with `defaults.range`. */
function withRange<C extends { defaults: { range: string }; services: Record<string, { indicators: Record<string, { query: string }>; dependencies: Record<string, { kind: string; query?: string }> }>; alerts: Record<string, { expr?: string }> }>(catalog: C): C {
  const fill = (text: string) => text.replaceAll('{range}', catalog.defaults.range);
  for (const svc of Object.values(catalog.services)) {
    for (const indicator of Object.values(svc.indicators)) indicator.query = fill(indicator.query);
    for (const dep of Object.values(svc.dependencies)) if (dep.query !== undefined) dep.query = fill(dep.query);
  }
  for (const alert of Object.values(catalog.alerts)) if (alert.expr) alert.expr = fill(alert.expr);
  return catalog;
}

/** A group lists known services, each once, and is not named like a service (plans and locks name the group). */
function checkGroups(catalog: { groups: Record<string, string[]>; services: Record<string, unknown> }, ctx: z.RefinementCtx): void {
  for (const [groupName, members] of Object.entries(catalog.groups)) {
    if (groupName in catalog.services) ctx.addIssue({ code: 'custom', path: ['groups', groupName], message: `'${groupName}' is a service's name; name the group otherwise` });
    members.forEach((member, i) => {
      if (!(member in catalog.services)) ctx.addIssue({ code: 'custom', path: ['groups', groupName, i], message: `unknown service '${member}'` });
      if (members.indexOf(member) !== i) ctx.addIssue({ code: 'custom', path: ['groups', groupName, i], message: `'${member}' is listed twice` });
    });
  }
}

/** An alert's rule fields make sense only together, and its indicator must be one its service has. */
function checkAlertRule(alertName: string, alert: z.infer<typeof AlertSchema>, indicators: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const at = (field: string) => ['alerts', alertName, field];
  if (alert.expr && !alert.for) ctx.addIssue({ code: 'custom', path: at('for'), message: 'required when the alert has an expr' });
  if (alert.expr && !alert.runbook) ctx.addIssue({ code: 'custom', path: at('runbook'), message: 'required when the alert has an expr (the rule links it)' });
  if (!alert.expr) {
    for (const field of ['for', 'derived'] as const) {
      if (alert[field] !== undefined) ctx.addIssue({ code: 'custom', path: at(field), message: 'only means something with an expr' });
    }
  }
  if (alert.indicator && !(alert.indicator in indicators)) {
    ctx.addIssue({ code: 'custom', path: at('indicator'), message: `unknown indicator '${alert.indicator}' of service '${alert.service}' (known: ${Object.keys(indicators).join(', ') || 'none'})` });
  }
}

export { IndicatorSchema, type Indicator } from './indicator-schema.js';
export type Service = z.infer<typeof ServiceSchema>;
export type ServiceEnv = z.infer<typeof ServiceEnvSchema>;
export type Alert = z.infer<typeof AlertSchema>;
export type AlertAction = z.infer<typeof AlertActionSchema>;

export { type Policy, type PolicyRule, PolicyRuleSchema, PolicySchema, RoleMembersSchema } from './policy-schema.js';
