import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { redactText } from '../../core/redact.js';
import { formatAge } from '../shared/code-block.js';
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
    if (args.evidence) return done(await evidenceMessage(ctx, args.service));
    const target = resolveTarget(ctx, args.service);
    const k8s = ctx.ports.kubernetes;
    const [d, revisions] = await Promise.all([k8s.readDeployment(target.ref), k8s.listRevisions(target.ref)]);
    const rows: string[][] = [];
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
    return done({
      title: `Rollout history of ${target.service} in ${target.env}`,
      severity: 'info',
      text: revisions.length === 0 ? 'No revisions found.' : `Current revision: ${d.revision ?? '?'} (marked *)`,
      // Oldest first, as kubectl rollout history lists them: the newest matter most when a renderer must cut.
      ...(rows.length > 0
        ? {
            table: {
              columns: [{ header: '' }, { header: 'REVISION', align: 'right' as const }, { header: 'IMAGE' }, { header: 'AGE', align: 'right' as const }, { header: 'CHANGE-CAUSE' }],
              rows,
              keep: 'last' as const,
            },
          }
        : {}),
    });
  },
};
