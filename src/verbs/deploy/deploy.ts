import { z } from 'zod';
import type { Action, ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { followRollout, replicasField, unfinishedResult } from '../shared/follow-rollout.js';
import type { FollowOptions, RolloutReader } from '../shared/kubernetes-ports.js';
import { changeCause, resolveTarget, type Target } from '../shared/target.js';
import { containerIndex, type ImageWriter, setImageOnce } from './set-image.js';

export type DeployPorts = { kubernetes: RolloutReader & ImageWriter } & FollowOptions;

/** A Docker image tag: what `docker tag` accepts (distribution/reference's tag grammar). */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export const DeployArgs = z.object({
  service: z.string().min(1).describe('the catalog service to deploy a new image of').register(argMeta, { positional: true, kind: 'service' }),
  imageTag: z
    .string()
    .regex(IMAGE_TAG, 'must be an image tag such as v2.8.1 (letters, digits, _ . -, at most 128, not starting with . or -)')
    .describe("the tag to run, from the service's image repository in the catalog")
    .register(argMeta, { placeholder: 'T' }),
});
export type DeployArgs = z.infer<typeof DeployArgs>;

export interface DeployPlanData {
  container: string;
  fromImage: string;
  toImage: string;
  fromRevision?: number;
}

function repositoryOf(target: Target): string {
  const repository = target.spec.image;
  if (!repository) {
    throw new UserError(`${target.service} has no image repository in the catalog (services.${target.service}.image); deploy cannot name the image`, 'no_image_repository');
  }
  return repository;
}

async function plan(ctx: ActionContext<DeployPorts>, args: DeployArgs): Promise<Plan<DeployPlanData>> {
  const target = resolveTarget(ctx, args.service);
  const toImage = `${repositoryOf(target)}:${args.imageTag}`;
  const d = await ctx.ports.kubernetes.readDeployment(target.ref);
  const container = target.envSpec.container;
  const fromImage = d.containers[containerIndex(d, target.ref, container)]!.image;
  if (fromImage === toImage) {
    throw new UserError(`${target.service} in ${target.env} is already running ${args.imageTag} (${toImage}); nothing to deploy`, 'already_running');
  }
  if (d.paused) throw new UserError(`${target.ref.deployment} in ${target.ref.namespace} is paused; resume it before deploying`, 'paused');
  return {
    summary: `deploy ${args.imageTag} to ${target.service} in ${target.env} (namespace ${target.ref.namespace}): ${fromImage} → ${toImage}`,
    target: { service: target.service, env: target.env, namespace: target.ref.namespace, resource: `deployment/${target.ref.deployment}` },
    changes: [{ what: `image of container ${container}`, from: fromImage, to: toImage }],
    data: { container, fromImage, toImage, fromRevision: d.revision },
  };
}

async function execute(
  ctx: ActionContext<DeployPorts>,
  args: DeployArgs,
  progress: ProgressReporter,
  given?: Plan<DeployPlanData>,
): Promise<ActionResult> {
  const target = resolveTarget(ctx, args.service);
  const { data } = given ?? (await plan(ctx, args));
  // Checked against the image, not the revision: a retried job whose first attempt set it changes nothing.
  const applied = await setImageOnce(ctx.ports.kubernetes, target.ref, {
    container: data.container,
    from: data.fromImage,
    image: data.toImage,
    changeCause: changeCause(ctx, `deploy ${args.imageTag}`),
  });
  ctx.log.info({ service: target.service, env: target.env, from: data.fromImage, to: data.toImage, applied }, applied ? 'image set' : 'image already set');
  const result = await followRollout(ctx, target, progress, { action: 'deploy' });
  const d = result.deployment;
  const fields = [
    { label: 'Image', value: `${data.fromImage} → ${data.toImage}` },
    { label: 'Revision', value: `${data.fromRevision ?? '?'} → ${d.revision ?? '?'}` },
    replicasField(d),
  ];
  if (result.status !== 'complete') return unfinishedResult(`deploy of ${args.imageTag} to ${target.service} in ${target.env}`, result, fields);
  return done({
    title: `Deployed ${args.imageTag} to ${target.service} in ${target.env}`,
    severity: 'success',
    text: `All ${d.desired} pods run ${data.toImage} (revision ${d.revision ?? '?'})${applied ? '' : '; the image had already been set by an earlier attempt of this job'}.`,
    fields,
  });
}

export const deploy: Action<DeployArgs, DeployPorts, DeployPlanData> = {
  name: 'deploy',
  summary: "Run another image tag of a service (kubectl set image), then watch the rollout",
  args: DeployArgs,
  risk: 'high',
  // A deploy is how a fix ships: verification watches the service afterwards, as after a rollback.
  mitigates: true,
  examples: ['deploy notification-agent --image-tag v1.2.1 --reason "agent version update"', 'deploy maestro-orchestrator --image-tag v2.8.1 --env staging'],
  plan,
  execute,
};
