import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { redactText } from '../../core/redact.js';
import { capTail, formatAge, table } from '../shared/code-block.js';
import { type EvidencePorts, evidenceMessage } from './evidence.js';
import { sameTemplate } from '../shared/pod-template.js';
import type { DeploymentReader, RevisionReader } from '../shared/kubernetes-ports.js';
import { resolveTarget } from '../shared/target.js';

export type HistoryPorts = { kubernetes: DeploymentReader & RevisionReader } & EvidencePorts;

export const HistoryArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose rollout history to show').register(argMeta, { positional: true, kind: 'service' }),
  evidence: z
    .boolean()
    .optional()
    .describe('show the recorded rollbacks instead of the rollout history, failed ones too: from → resulting revision, who, why, verdict'),
});
export type HistoryArgs = z.infer<typeof HistoryArgs>;

export const history: Action<HistoryArgs, HistoryPorts> = {
  name: 'history',
  summary: 'Rollout history of a service: revision, image, change cause and age',
  args: HistoryArgs,
  risk: 'read',
  examples: ['history maestro-orchestrator', 'history maestro-orchestrator --evidence'],
  async execute(ctx, args) {
    if (args.evidence) return evidenceMessage(ctx, args.service);
    const target = resolveTarget(ctx, args.service);
    const k8s = ctx.ports.kubernetes;
    const [d, revisions] = await Promise.all([k8s.readDeployment(target.ref), k8s.listRevisions(target.ref)]);
    const rows = [['', 'REVISION', 'IMAGE', 'AGE', 'CHANGE-CAUSE']];
    for (const r of [...revisions].sort((a, b) => a.revision - b.revision)) {
      const current = r.revision === d.revision || (d.revision === undefined && sameTemplate(r.template, d.template));
      rows.push([
        current ? '*' : '',
        String(r.revision),
        r.images.join(', '),
        formatAge(r.createdAt),
        redactText(r.changeCause ?? '<none>'),
      ]);
    }
    const capped = capTail(table(rows));
    return {
      title: `Rollout history of ${target.service} in ${target.env}`,
      severity: 'info',
      text: revisions.length === 0 ? 'No revisions found.' : `Current revision: ${d.revision ?? '?'} (marked *)`,
      code: capped.code,
      footer: capped.note,
    };
  },
};
