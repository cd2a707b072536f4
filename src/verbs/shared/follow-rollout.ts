import type { ActionContext, ActionResult, ProgressReporter } from '../../core/action.js';
import { cancelled, failed } from '../../core/action-result.js';
import type { Field, Message } from '../../core/message.js';
import { redactText } from '../../core/redact.js';
import { capTail } from './code-block.js';
import { sameTemplate } from './pod-template.js';
import type { DeploymentState, FollowOptions, PodInfo, RevisionInfo, RolloutReader } from './kubernetes-ports.js';
import { lastRevisionWithOtherImage } from './revisions.js';
import { envSuffix, type Target } from './target.js';
import { sleep } from '../../core/sleep.js';

export type FollowPorts = { kubernetes: RolloutReader } & FollowOptions;

export interface FailingPod {
  name: string;
  reason: string;
  restarts: number;
  lastLines: string[];
}

export type FollowResult =
  | { status: 'complete'; deployment: DeploymentState }
  | { status: 'cancelled'; deployment: DeploymentState }
  | {
      status: 'failed';
      deployment: DeploymentState;
      reason: string;
      failingPods: FailingPod[];
      /** A command in the bot's grammar, with what it is for: "roll back further: rollback x --to-revision 6". */
      nextStep: string;
    };

export interface FollowRequest {
  /** "rollback", "restart", ...: used in the suggested next step. */
  action: string;
  /** Suggest a revision strictly below this one (default: the deployment's current revision). */
  suggestBelow?: number;
}

const DEFAULT_POLL_MS = 2000;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Restarts after which a never-ready pod counts as crash-looping even before the kubelet says so. */
const CRASH_RESTARTS = 3;
const STUCK_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'RunContainerError',
]);

/** kubectl rollout status: where the rollout stands, or undefined once it is complete. */
export function rolloutWaitingFor(d: DeploymentState): string | undefined {
  if (d.observedGeneration < d.generation) return 'waiting for the deployment spec update to be observed';
  if (d.updated < d.desired) return `${d.updated} of ${d.desired} new replicas updated`;
  if (d.replicas > d.updated) return `${d.replicas - d.updated} old replicas pending termination`;
  if (d.available < d.updated) return `${d.available} of ${d.updated} updated replicas available`;
  return undefined;
}

export function deadlineExceeded(d: DeploymentState): string | undefined {
  const progressing = d.conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason !== 'ProgressDeadlineExceeded') return undefined;
  return progressing.message ? `ProgressDeadlineExceeded: ${progressing.message}` : 'ProgressDeadlineExceeded';
}

function stuckReason(pod: PodInfo): string | undefined {
  if (pod.waitingReason && STUCK_REASONS.has(pod.waitingReason)) return pod.waitingReason;
  if (!pod.ready && pod.restarts >= CRASH_RESTARTS) return `restarted ${pod.restarts} times without becoming ready`;
  return undefined;
}

/** Pods of the deployment's current template: an old ReplicaSet crash-looping is not this rollout's failure. */
function currentPods(d: DeploymentState, revisions: RevisionInfo[], pods: PodInfo[]): PodInfo[] {
  const rs = revisions.find((r) => sameTemplate(r.template, d.template));
  const hash = rs?.template.metadata?.labels?.['pod-template-hash'];
  if (hash) return pods.filter((p) => p.templateHash === hash);
  const images = new Set(d.containers.map((c) => c.image));
  return pods.filter((p) => p.images.some((i) => images.has(i)));
}

export function suggestNextStep(
  ctx: ActionContext<unknown>,
  target: Target,
  d: DeploymentState,
  revisions: readonly RevisionInfo[],
  request: FollowRequest,
): string {
  const below = request.suggestBelow ?? d.revision ?? Number.POSITIVE_INFINITY;
  const candidate = lastRevisionWithOtherImage(
    revisions,
    d.containers.map((c) => c.image),
    below,
  );
  const env = envSuffix(ctx);
  if (!candidate) return `no earlier revision with another image; read the logs: logs ${target.service}${env}`;
  const lead = request.action === 'rollback' ? 'roll back further' : 'roll back';
  return `${lead}: rollback ${target.service} --to-revision ${candidate.revision}${env} (${candidate.images.join(', ')})`;
}

async function failingPodDetails(ctx: ActionContext<FollowPorts>, target: Target, pods: PodInfo[]): Promise<FailingPod[]> {
  const out: FailingPod[] = [];
  for (const pod of pods.slice(0, 3)) {
    let lastLines: string[] = [];
    try {
      const text = await ctx.ports.kubernetes.podLogs(target.ref.namespace, pod.name, {
        container: target.envSpec.container,
        tailLines: 5,
      });
      lastLines = redactText(text).split('\n').filter(Boolean).slice(-5);
    } catch (error) {
      // The logs are a courtesy: a failure to read them must not hide the rollout failure itself.
      ctx.log.debug({ err: error, pod: pod.name }, 'could not read logs of a failing pod');
    }
    out.push({ name: pod.name, reason: stuckReason(pod) ?? pod.phase, restarts: pod.restarts, lastLines });
  }
  return out;
}

/**
 * Watches the deployment until its rollout is complete (kubectl rollout status), has
 * failed (progress deadline exceeded, pods crash-looping or stuck), or the job is cancelled.
 */
export async function followRollout(
  ctx: ActionContext<FollowPorts>,
  target: Target,
  progress: ProgressReporter,
  request: FollowRequest,
): Promise<FollowResult> {
  const k8s = ctx.ports.kubernetes;
  const pollMs = ctx.ports.followPollMs ?? DEFAULT_POLL_MS;
  const deadline = Date.now() + (ctx.ports.followTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  let lastLabel = '';
  for (;;) {
    const d = await k8s.readDeployment(target.ref);
    if (ctx.signal.aborted) return { status: 'cancelled', deployment: d };
    const waiting = rolloutWaitingFor(d);
    const label = waiting ?? 'rollout complete';
    if (label !== lastLabel) {
      lastLabel = label;
      await progress({ done: Math.min(d.updated, d.ready), total: d.desired, label });
    }
    if (!waiting) return { status: 'complete', deployment: d };

    const exceeded = deadlineExceeded(d);
    let stuck: PodInfo[] = [];
    if (d.observedGeneration >= d.generation) {
      const [revisions, pods] = await Promise.all([
        k8s.listRevisions(target.ref),
        k8s.listPods(target.ref.namespace, target.envSpec.selector),
      ]);
      stuck = currentPods(d, revisions, pods).filter((p) => stuckReason(p));
      const timedOut = Date.now() >= deadline ? `not complete after ${Math.round((ctx.ports.followTimeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)}s: ${waiting}` : undefined;
      const reason = exceeded ?? (stuck.length > 0 ? `pods are ${stuckReason(stuck[0]!)}` : timedOut);
      if (reason) {
        return {
          status: 'failed',
          deployment: d,
          reason,
          failingPods: await failingPodDetails(ctx, target, stuck),
          nextStep: suggestNextStep(ctx, target, d, revisions, request),
        };
      }
    }
    // A cancel ends the wait early; the check below then says so.
    await sleep(pollMs, ctx.signal).catch(() => {});
    if (ctx.signal.aborted) return { status: 'cancelled', deployment: d };
  }
}

/** How far the rollout got, for the result's fields: ready alone hides old pods still serving. */
export function replicasField(d: DeploymentState): Field {
  return { label: 'Replicas', value: `${d.ready}/${d.desired} ready, ${d.updated} updated` };
}

/**
 * The result of a follow that did not complete: cancelled, or failed with the reason,
 * the failing pods and the next step; `what` is the change, e.g. "rollback of x in prod".
 */
export function unfinishedResult<Facts>(
  what: string,
  result: Exclude<FollowResult, { status: 'complete' }>,
  fields: Field[],
  facts?: Facts,
): ActionResult<Facts> {
  if (result.status === 'cancelled') {
    return cancelled({
      title: `Stopped following the ${what}`,
      severity: 'warning',
      text: 'Cancelled. The change was applied; the rollout continues without the bot watching it.',
      fields,
    }, facts);
  }
  const lines: string[] = [];
  for (const pod of result.failingPods) {
    lines.push(`== ${pod.name} (${pod.reason}, ${pod.restarts} restarts)`);
    lines.push(...(pod.lastLines.length > 0 ? pod.lastLines : ['(no log lines)']));
  }
  const capped = capTail(lines);
  const message: Message = {
    // The title is also the job's failure reason (its card, BullMQ, the evidence of a failed rollback): it names the cause.
    title: `The ${what} failed: ${result.reason}`,
    severity: 'critical',
    text: `Reason: ${result.reason}`,
    fields: [
      ...fields,
      { label: 'Failing pods', value: result.failingPods.map((p) => p.name).join(', ') || 'none reported' },
      { label: 'Next step', value: result.nextStep },
    ],
    code: lines.length > 0 ? capped.code : undefined,
    footer: capped.note,
  };
  return failed(message, facts);
}
