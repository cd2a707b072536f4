import { z } from 'zod';
import { ConflictError } from '../../clients/kubernetes/errors.js';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { cancelled, done, failed } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { sleep } from '../../core/sleep.js';
import type { DeploymentReader, EventReader, FollowOptions, PodDetail, PodDetailReader } from '../shared/kubernetes-ports.js';
import { resolveTarget, type Target } from '../shared/target.js';
import { podRow, podSummary } from '../pods/pod-rows.js';
import { pickPod } from './pick-pod.js';

export interface PodDeleter {
  /** Graceful deletion of this pod only if it still has this uid; a ConflictError when it has not. */
  deletePod(namespace: string, name: string, uid: string, gracePeriodSeconds: number): Promise<void>;
}

export type DeletePodPorts = { kubernetes: PodDetailReader & EventReader & DeploymentReader & PodDeleter } & FollowOptions;

/** Longest grace the bot gives: a pod that needs more than ten minutes to stop is not one to drain from chat. */
export const MAX_GRACE_SECONDS = 600;

export const DeletePodArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose stuck pod to delete').register(argMeta, { positional: true, kind: 'service' }),
  pod: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a pod name (lowercase letters, digits, - and .)')
    .optional()
    .describe('the pod to delete (default: the one not Ready, else the one with most restarts)')
    .register(argMeta, { placeholder: 'P' }),
  gracePeriod: z
    .number()
    .int()
    .min(1)
    .max(MAX_GRACE_SECONDS)
    .default(30)
    .describe(`seconds the pod gets to shut down, 1 to ${MAX_GRACE_SECONDS} (default 30)`),
});
export type DeletePodArgs = z.infer<typeof DeletePodArgs>;

export interface DeletePodPlanData {
  pod: string;
  uid: string;
  gracePeriodSeconds: number;
  /** The service's pods before the deletion: the replacement is the Ready one not among them. */
  before: string[];
}

export interface DeletePodFacts {
  deleted: string;
  uid: string;
  gracePeriodSeconds: number;
  replacement?: string;
  /** The pod was already gone (or replaced) when the job ran: nothing was deleted this time. */
  alreadyDeleted: boolean;
}

async function plan(ctx: ActionContext<DeletePodPorts>, args: DeletePodArgs): Promise<Plan<DeletePodPlanData>> {
  const target = resolveTarget(ctx, args.service);
  const k8s = ctx.ports.kubernetes;
  const { namespace } = target.ref;
  const [mine, events] = await Promise.all([k8s.listPodDetails(namespace, target.envSpec.selector), k8s.listEvents(namespace)]);
  const known = args.pod === undefined || mine.some((p) => p.name === args.pod);
  const all = known ? mine : await k8s.listPodDetails(namespace);
  const picked = pickPod(target, mine, all, events, args.pod);
  const othersReady = mine.filter((p) => p.ready && !p.terminating && p.name !== picked.row.name).length;
  const alone = picked.row.ready && othersReady === 0 ? `; it is the only Ready pod, so ${target.service} serves nothing until the replacement is Ready` : '';
  return {
    summary: `delete pod ${picked.row.name} of ${target.service} in ${target.env} (${namespace}) with a ${args.gracePeriod}s grace period, picked as ${picked.why}; its ReplicaSet starts a replacement${alone}`,
    target: { service: target.service, env: target.env, namespace, resource: `pod/${picked.row.name}` },
    changes: [{ what: `pod ${picked.row.name}`, from: podSummary(picked.row), to: `deleted (grace ${args.gracePeriod}s); replaced by its ReplicaSet` }],
    data: { pod: picked.row.name, uid: picked.uid, gracePeriodSeconds: args.gracePeriod, before: mine.map((p) => p.name) },
  };
}

/** Deletes the planned pod unless it is already gone or replaced; true when this run deleted it. */
async function deleteOnce(k8s: DeletePodPorts['kubernetes'], target: Target, data: DeletePodPlanData): Promise<boolean> {
  const pods = await k8s.listPodDetails(target.ref.namespace, target.envSpec.selector);
  const still = pods.find((p) => p.uid === data.uid);
  if (!still || still.terminating) return false;
  try {
    await k8s.deletePod(target.ref.namespace, data.pod, data.uid, data.gracePeriodSeconds);
    return true;
  } catch (error) {
    // The uid precondition failed or the pod went in between: the pod the plan named is gone either way.
    if (error instanceof ConflictError) return false;
    if (error instanceof UserError && error.code === 'kubernetes_not_found') return false;
    throw error;
  }
}

/** A Ready pod that was not there before, once the deployment has all its replicas ready again. */
function replacementOf(pods: PodDetail[], data: DeletePodPlanData, desired: number): PodDetail | undefined {
  const live = pods.filter((p) => !p.terminating);
  const ready = live.filter((p) => p.ready);
  if (ready.length < desired) return undefined;
  return ready.find((p) => !data.before.includes(p.name));
}

async function execute(
  ctx: ActionContext<DeletePodPorts>,
  args: DeletePodArgs,
  progress: ProgressReporter,
  given?: Plan<DeletePodPlanData>,
): Promise<ActionResult<DeletePodFacts>> {
  const target = resolveTarget(ctx, args.service);
  const { data } = given ?? (await plan(ctx, args));
  const k8s = ctx.ports.kubernetes;
  const deleted = await deleteOnce(k8s, target, data);
  ctx.log.info({ service: target.service, env: target.env, pod: data.pod, deleted }, deleted ? 'pod deleted' : 'pod already gone');
  const facts: DeletePodFacts = { deleted: data.pod, uid: data.uid, gracePeriodSeconds: data.gracePeriodSeconds, alreadyDeleted: !deleted };
  await progress({ done: 1, total: 2, label: `deleted ${data.pod}; waiting for its replacement to be Ready` });
  const deadline = Date.now() + (ctx.ports.followTimeoutMs ?? 10 * 60_000);
  let newest: PodDetail | undefined;
  for (;;) {
    const d = await k8s.readDeployment(target.ref);
    const pods = await k8s.listPodDetails(target.ref.namespace, target.envSpec.selector);
    const replacement = replacementOf(pods, data, d.desired);
    if (replacement) {
      await progress({ done: 2, total: 2, label: `${replacement.name} is Ready` });
      return done(
        {
          title: `Replaced pod ${data.pod} of ${target.service} in ${target.env}`,
          severity: 'success',
          text: `${deleted ? 'Deleted' : 'Already deleted:'} ${data.pod} (grace ${data.gracePeriodSeconds}s); ${replacement.name} is Ready.`,
          fields: [{ label: 'Ready', value: `${pods.filter((p) => p.ready && !p.terminating).length}/${d.desired}` }],
        },
        { ...facts, replacement: replacement.name },
      );
    }
    newest = pods.filter((p) => !data.before.includes(p.name)).sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
    if (ctx.signal.aborted) {
      return cancelled({ title: `Stopped following the replacement of ${data.pod}`, severity: 'warning', text: 'Cancelled. The pod was deleted; its replacement starts without the bot watching.' }, facts);
    }
    if (Date.now() > deadline) break;
    await sleep(ctx.ports.followPollMs ?? 2000, ctx.signal).catch(() => undefined);
  }
  const state = newest ? `${newest.name} is ${podSummary(podRow(newest, []))}` : 'no replacement pod has appeared';
  return failed(
    {
      title: `Pod ${data.pod} of ${target.service} in ${target.env} deleted, replacement not Ready`,
      severity: 'critical',
      text: `${state}. Look at it with: pods ${target.service}`,
    },
    facts,
  );
}

export const deletePod: Action<DeletePodArgs, DeletePodPorts, DeletePodPlanData, DeletePodFacts> = {
  name: 'delete-pod',
  summary: 'Delete a stuck pod gracefully (kubectl delete pod --grace-period), then wait until its replacement is Ready',
  args: DeletePodArgs,
  risk: 'low',
  mitigates: true,
  examples: ['delete-pod maestro-orchestrator', 'delete-pod maestro-orchestrator --pod maestro-orchestrator-7d9c-x2x7q --grace-period 60'],
  plan,
  execute,
};
