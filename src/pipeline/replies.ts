import type { Plan } from '../core/action.js';
import type { Message } from '../core/message.js';
import { BUTTON } from './buttons.js';

/** Message content the handlers send, written once for every platform. */

/** Said instead of running a request the bot turned away in a burst (Slack's ack has room for text only). */
export type PlanStage = 'dry-run' | 'needs-confirmation' | 'queued' | 'cancelled' | 'refused';

export interface PlanMessageOptions {
  confirmId?: string;
  actorName?: string;
  jobNumber?: number;
  /** Who pressed Confirm (or said --yes); absent where the environment asks nobody, and the card says so. */
  confirmedBy?: string;
  /** Why the job was not queued (another change holds the deployment). */
  refusal?: string;
}

function stageFooter(plan: Plan, stage: PlanStage, options: PlanMessageOptions): string {
  switch (stage) {
    case 'dry-run':
      return 'Dry run: nothing was changed.';
    case 'needs-confirmation':
      return 'Waiting for confirmation.';
    case 'queued':
      return options.confirmedBy ? `Confirmed by ${options.confirmedBy}: running as a job.` : `Running as a job (${plan.target.env} asks for no confirmation).`;
    case 'cancelled':
      return 'Cancelled: nothing was changed.';
    case 'refused':
      return `Refused: ${options.refusal ?? 'not queued'}. Nothing was changed.`;
  }
}

export function planMessage(plan: Plan, stage: PlanStage, options: PlanMessageOptions = {}): Message {
  const message: Message = {
    title: capitalise(plan.summary),
    severity: stage === 'cancelled' ? 'info' : 'warning',
    fields: [
      { label: 'Service', value: plan.target.service },
      { label: 'Environment', value: plan.target.env },
      ...(plan.target.cluster ? [{ label: 'Cluster', value: `${plan.target.cluster} · namespace ${plan.target.namespace}` }] : []),
      ...plan.changes.map((c) => ({ label: c.what, value: `${c.from} → ${c.to}` })),
    ],
    footer: [
      stageFooter(plan, stage, options),
      options.actorName ? `Requested by ${options.actorName}.` : undefined,
      options.jobNumber === undefined ? undefined : `Job ${options.jobNumber}.`,
    ]
      .filter(Boolean)
      .join(' '),
  };
  if (stage === 'needs-confirmation' && options.confirmId) {
    message.actions = [
      {
        id: BUTTON.confirm,
        label: 'Confirm',
        style: 'danger',
        value: options.confirmId,
        confirm: { title: 'Are you sure?', text: capitalise(plan.summary), confirm: 'Yes, do it', deny: 'Back' },
      },
      { id: BUTTON.cancel, label: 'Cancel', style: 'default', value: options.confirmId },
    ];
  }
  return message;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
