import type { ActionContext, ActionResult, Plan, ProgressReporter } from '../../core/action.js';
import { done } from '../../core/action-result.js';
import { autoscalerWarning } from '../hpa/autoscaler-of.js';
import { followRollout, unfinishedResult } from '../shared/follow-rollout.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { groupTarget, memberProgress, resolveGroup } from '../shared/service-group.js';
import { checkBounds, type ScalePorts } from './scale.js';

export interface ScaleAllPlanData {
  group: string;
  /** Replicas of each planned service when planned, in order: execute scales exactly these. */
  from: Record<string, number>;
  to: number;
}

export async function planScaleAll(ctx: ActionContext<ScalePorts>, group: string, replicas: number): Promise<Plan<ScaleAllPlanData>> {
  const targets = resolveGroup(ctx, group);
  // Every deployment within its bounds, or none is touched: a group half scaled is not what was asked.
  for (const t of targets) checkBounds(t, replicas);
  const k8s = ctx.ports.kubernetes;
  const from = await Promise.all(targets.map((t) => k8s.readScale(t.ref)));
  const notes = (await Promise.all(targets.map((t) => autoscalerWarning(k8s, t, replicas)))).filter(Boolean);
  const changing = targets.filter((_, i) => from[i] !== replicas);
  const warning = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  return {
    summary:
      changing.length === 0
        ? `all of ${group} in ${ctx.env} already runs ${replicas} replicas; nothing to change${warning}`
        : `scale all of ${group} in ${ctx.env} to ${replicas} replicas: ${targets.map((t, i) => `${t.service} (${t.ref.namespace}) ${from[i]} → ${replicas}`).join(', ')}${warning}`,
    target: groupTarget(group, ctx.env, targets),
    changes: targets.flatMap((t, i) => (from[i] === replicas ? [] : [{ what: `${t.ref.namespace}/deployment/${t.ref.deployment} replicas`, from: String(from[i]), to: String(replicas) }])),
    data: { group, from: Object.fromEntries(targets.map((t, i) => [t.service, from[i]!])), to: replicas },
  };
}

/** Each deployment set once (a retried job reads first and skips those at the number) and followed before the next. */
export async function executeScaleAll(ctx: ActionContext<ScalePorts>, progress: ProgressReporter, plan: Plan<ScaleAllPlanData>): Promise<ActionResult> {
  const { data } = plan;
  const targets = resolveGroup(ctx, data.group).filter((t) => t.service in data.from);
  const k8s = ctx.ports.kubernetes;
  const lines: string[] = [];
  for (const [i, target] of targets.entries()) {
    checkBounds(target, data.to);
    const scaled = await retryOnConflict(async () => {
      if ((await k8s.readScale(target.ref)) === data.to) return false;
      await k8s.scale(target.ref, data.to);
      return true;
    });
    ctx.log.info({ service: target.service, env: target.env, group: data.group, from: data.from[target.service], to: data.to, scaled }, scaled ? 'scaled' : 'already at the number');
    const result = await followRollout(ctx, target, memberProgress(progress, i, targets.length, target), { action: 'scale' });
    if (result.status !== 'complete') {
      const fields = [
        { label: 'Scaled', value: lines.join('; ') || 'none before this one' },
        { label: 'Not scaled', value: targets.slice(i + 1).map((t) => t.service).join(', ') || 'none' },
      ];
      return unfinishedResult(`scaling of ${target.service} (group ${data.group}) in ${target.env}`, result, fields);
    }
    const d = result.deployment;
    lines.push(`${data.from[target.service]} → ${data.to}, ${d.ready}/${d.desired} ready${scaled ? '' : ' (already there)'}`);
    await progress({ done: i + 1, total: targets.length, label: `${target.service} scaled` });
  }
  return done({
    title: `Scaled all of ${data.group} in ${ctx.env} to ${data.to}`,
    severity: 'success',
    text: `${targets.length} deployments scaled to ${data.to} replicas, one after the other.`,
    fields: targets.map((t, i) => ({ label: t.service, value: lines[i]! })),
  });
}
