import { z } from 'zod';
import { FlagArgs } from '../verbs/flag/flag.js';
import type { DeploymentReader, RevisionReader } from '../verbs/shared/kubernetes-ports.js';
import { ProviderArgs } from '../verbs/provider/provider.js';
import { lastRevisionWithOtherImage } from '../verbs/shared/revisions.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { QueuedJobData } from '../jobs/job-data.js';

/** What the next step reads of the cluster: where the deployment is now, and its history. */
export type NextStepReader = DeploymentReader & RevisionReader;

const ScalePlan = z.object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() });
const KubernetesRollbackPlan = z.object({ via: z.literal('k8s').optional(), toRevision: z.number().int().positive() });

function envSuffix(catalog: Catalog, env: string): string {
  return env === catalog.defaults.env ? '' : ` --env ${env}`;
}

/**
 * The provider the service used before the switch: the catalog's one whose env the
 * container had then, which is its env now with the plan's "from" values put back
 * (a key the new provider does not set kept its value, so only the cluster knows it).
 */
async function previousProvider(catalog: Catalog, data: QueuedJobData, now: string, kubernetes?: NextStepReader): Promise<string | undefined> {
  const spec = catalog.services[data.plan.target.service];
  const envSpec = spec?.envs[data.env];
  if (!spec || !envSpec) return undefined;
  const d = kubernetes ? await kubernetes.readDeployment({ namespace: envSpec.namespace, deployment: envSpec.deployment }) : undefined;
  const before: Record<string, string | undefined> = { ...spec.providers[now]?.env, ...d?.containers.find((c) => c.name === envSpec.container)?.env };
  for (const change of data.plan.changes) {
    const key = /^env (.+)$/.exec(change.what)?.[1];
    if (key) before[key] = change.from === '(unset)' ? undefined : change.from;
  }
  return Object.entries(spec.providers).find(([name, p]) => name !== now && Object.entries(p.env).every(([k, v]) => before[k] === v))?.[0];
}

/** Undoing the mitigation itself, where it has an inverse that is not a rollback. */
async function inverse(catalog: Catalog, data: QueuedJobData, kubernetes?: NextStepReader): Promise<string | undefined> {
  if (data.plan.changes.length === 0) return undefined;
  const service = data.plan.target.service;
  if (data.action === 'flag') {
    const args = FlagArgs.safeParse(data.args);
    if (args.success) return `flag ${service} ${args.data.flag} ${args.data.state === 'on' ? 'off' : 'on'}`;
  }
  if (data.action === 'scale') {
    const plan = ScalePlan.safeParse(data.plan.data);
    if (plan.success && plan.data.from !== plan.data.to) return `scale ${service} ${plan.data.from}`;
  }
  if (data.action === 'provider') {
    const args = ProviderArgs.safeParse(data.args);
    const before = args.success ? await previousProvider(catalog, data, args.data.provider, kubernetes) : undefined;
    if (before) return `provider ${service} ${before}`;
  }
  return undefined;
}

/**
 * A rollback to the last revision with another image than the one now failing:
 * after a restart (whose revisions differ only by restartedAt) or a rollback, the
 * revision just before would run the same image and only restart the pods.
 */
async function rollbackFurther(catalog: Catalog, data: QueuedJobData, kubernetes: NextStepReader): Promise<string | undefined> {
  const service = data.plan.target.service;
  const envSpec = catalog.services[service]?.envs[data.env];
  if (!envSpec) return undefined;
  const ref = { namespace: envSpec.namespace, deployment: envSpec.deployment };
  const [d, revisions] = await Promise.all([kubernetes.readDeployment(ref), kubernetes.listRevisions(ref)]);
  const restored = data.action === 'rollback' ? KubernetesRollbackPlan.safeParse(data.plan.data) : undefined;
  // A rollback that did not hold: its target was not healthy either, so look below it.
  const below = restored?.success ? restored.data.toRevision : (d.revision ?? Number.POSITIVE_INFINITY);
  const candidate = lastRevisionWithOtherImage(
    revisions,
    d.containers.map((c) => c.image),
    below,
  );
  return candidate ? `rollback ${service} --to-revision ${candidate.revision}` : undefined;
}

/**
 * The one-click next step offered when a mitigation does not hold: its inverse (the
 * flag back, the previous replica count, the previous provider), else a rollback that
 * changes the image. Undefined when there is none worth a button.
 */
export async function nextCommand(catalog: Catalog, data: QueuedJobData, kubernetes?: NextStepReader): Promise<string | undefined> {
  const command = (await inverse(catalog, data, kubernetes)) ?? (kubernetes ? await rollbackFurther(catalog, data, kubernetes) : undefined);
  return command ? `${command}${envSuffix(catalog, data.env)}` : undefined;
}
