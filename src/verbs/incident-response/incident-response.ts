import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';

const IncidentArgs = z.object({
  incident: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("the incident number in the card's footer; leave it out in the card's thread")
    .register(argMeta, { positional: true }),
  note: z.string().trim().min(1).max(1024).optional().describe('added to the PagerDuty incident and said in the thread').register(argMeta, { placeholder: '"text"' }),
});
export type IncidentArgs = z.infer<typeof IncidentArgs>;

/**
 * The verbs behind an incident card's Acknowledge and Resolve buttons, also typed:
 * in the card's thread the incident is implied, elsewhere it is the number in the
 * card's footer. The command handler parses, authorises and audits them like any
 * command, then hands them to the incident responder (src/pipeline/incident-verbs.ts),
 * which needs the incident store no action context carries. They change PagerDuty,
 * so they are `low` risk: the catalog's policy decides who may.
 */
function incidentVerb(name: 'ack' | 'resolve', summary: string): Action<IncidentArgs> {
  const unanswered = () => new Error(`'${name}' is answered by the incident responder; it has no plan or execute of its own`);
  return {
    name,
    summary,
    args: IncidentArgs,
    risk: 'low',
    examples: [name, `${name} 42`],
    async plan() {
      throw unanswered();
    },
    async execute() {
      throw unanswered();
    },
  };
}

export const ack = incidentVerb('ack', 'Acknowledge an incident, here and in PagerDuty');
export const resolve = incidentVerb('resolve', 'Resolve an incident, here and in PagerDuty');
