import type { ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { done } from '../../core/action-result.js';
import { followRollout, unfinishedResult } from '../shared/follow-rollout.js';
import { restartedAt } from '../shared/pod-template.js';
import { groupTarget, memberProgress, resolveGroup } from '../shared/service-group.js';
import type { RestartPlanData, RestartPorts } from './restart.js';
import { refusePaused, restartOnce, restartStamp } from './restart.js';

export interface RestartAllPlanData extends RestartPlanData {
  group: string;
  /** The group's services as planned, in order: execute restarts exactly these. */
  services: string[];
}

export async function planRestartAll(ctx: ActionContext<RestartPorts>, group: string): Promise<Plan<RestartAllPlanData>> {
  const targets = resolveGroup(ctx, group);
  const deployments = await Promise.all(targets.map((t) => ctx.ports.kubernetes.readDeployment(t.ref)));
  for (const [i, t] of targets.entries()) refusePaused(t, deployments[i]!, 'restarting it');
  // One stamp for all: each deployment shows it once restarted, so a retried job skips those already done.
  const stamp = restartStamp();
  return {
    summary: `restart all of ${group} in ${ctx.env}, one deployment after the other: ${targets.map((t, i) => `${t.service} (${t.ref.namespace}, ${deployments[i]!.desired} pods)`).join(', ')}`,
    target: groupTarget(group, ctx.env, targets),
    changes: targets.map((t, i) => ({
      what: `${t.ref.namespace}/deployment/${t.ref.deployment} template annotation kubectl.kubernetes.io/restartedAt`,
      from: restartedAt(deployments[i]!.template) ?? '(none)',
      to: stamp,
    })),
    data: { restartedAt: stamp, group, services: targets.map((t) => t.service) },
  };
}

/** Each deployment restarted at most once and followed to the end before the next; the first that fails stops the rest. */
export async function executeRestartAll(ctx: ActionContext<RestartPorts>, progress: ProgressReporter, plan: Plan<RestartAllPlanData>): Promise<ActionResult> {
  const { data } = plan;
  const targets = resolveGroup(ctx, data.group).filter((t) => data.services.includes(t.service));
  const lines: string[] = [];
  for (const [i, target] of targets.entries()) {
    const restarted = await restartOnce(ctx.ports.kubernetes, target, data.restartedAt);
    ctx.log.info({ service: target.service, env: target.env, group: data.group, restarted }, restarted ? 'restarted' : 'restart already applied');
    const result = await followRollout(ctx, target, memberProgress(progress, i, targets.length, target), { action: 'restart' });
    const d = result.deployment;
    if (result.status !== 'complete') {
      const left = targets.slice(i + 1).map((t) => t.service);
      const fields = [
        { label: 'Restarted', value: lines.join('; ') || 'none before this one' },
        { label: 'Not restarted', value: left.join(', ') || 'none' },
      ];
      return unfinishedResult(`restart of ${target.service} (group ${data.group}) in ${target.env}`, result, fields);
    }
    lines.push(`${target.service}: ${d.desired} pods, revision ${d.revision ?? '?'}${restarted ? '' : ' (already restarted)'}`);
    await progress({ done: i + 1, total: targets.length, label: `${target.service} restarted` });
  }
  return done({
    title: `Restarted all of ${data.group} in ${ctx.env}`,
    severity: 'success',
    text: `${targets.length} deployments restarted one after the other (restartedAt ${data.restartedAt}).`,
    fields: targets.map((t, i) => ({ label: t.service, value: lines[i]! })),
  });
}
