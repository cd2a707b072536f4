import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import type { Field } from '../../core/message.js';
import type { AutoscalerInfo, AutoscalerReader } from '../shared/kubernetes-ports.js';
import { envSuffix, resolveTarget } from '../shared/target.js';
import { autoscalerOf, targetsText } from './autoscaler-of.js';

export type HpaPorts = { kubernetes: AutoscalerReader };

export const HpaArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose autoscaler to show').register(argMeta, { positional: true, kind: 'service' }),
});
export type HpaArgs = z.infer<typeof HpaArgs>;

export interface HpaFacts {
  namespace: string;
  deployment: string;
  autoscaler?: AutoscalerInfo;
}

export const hpa: Action<HpaArgs, HpaPorts, unknown, HpaFacts> = {
  name: 'hpa',
  summary: 'Show the HorizontalPodAutoscaler of a service: min/max/current/desired replicas and metric targets',
  args: HpaArgs,
  risk: 'read',
  examples: ['hpa maestro-orchestrator', 'hpa notification-agent --env dev'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const { namespace, deployment } = target.ref;
    const { hpa: found, others } = await autoscalerOf(ctx.ports.kubernetes, target);
    const title = `Autoscaler of ${target.service} in ${target.env} (${namespace})`;
    if (!found) {
      return done(
        { title, severity: 'info', text: `No HorizontalPodAutoscaler targets deployment/${deployment} in ${namespace}: its replicas are what \`scale\` sets.` },
        { namespace, deployment },
      );
    }
    const limited = found.conditions.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
    const inactive = found.conditions.find((c) => c.type === 'ScalingActive' && c.status === 'False');
    const fields: Field[] = [
      { label: 'HorizontalPodAutoscaler', value: found.name },
      { label: 'Min / max', value: `${found.min} / ${found.max}` },
      { label: 'Current / desired', value: `${found.current ?? '?'} / ${found.desired ?? '?'}` },
      { label: 'Targets (current / target)', value: targetsText(found) },
      ...(limited ? [{ label: 'Limited', value: `${limited.reason ?? ''}: ${limited.message ?? ''}` }] : []),
      ...(inactive ? [{ label: 'Not scaling', value: `${inactive.reason ?? ''}: ${inactive.message ?? ''}` }] : []),
      ...(others.length > 0 ? [{ label: 'Also targeting it', value: `${others.join(', ')} (the controller refuses to act on an ambiguous target)` }] : []),
    ];
    return done(
      {
        title,
        severity: limited || inactive || others.length > 0 ? 'warning' : 'info',
        text: `deployment/${deployment} runs ${found.current ?? '?'} replicas; the autoscaler wants ${found.desired ?? '?'} (bounds ${found.min}–${found.max}).`,
        fields,
        footer: `Change the bounds with: hpa set ${target.service} --min N --max M${envSuffix(ctx)}`,
      },
      { namespace, deployment, autoscaler: found },
    );
  },
};
