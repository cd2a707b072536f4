import type { Plan } from '../core/action.js';
import type { Message } from '../core/message.js';
import type { PendingApproval } from './approval-store.js';
import { BUTTON } from './buttons.js';
import { planMessage } from './replies.js';

export type ApprovalStage = 'waiting' | 'approved' | 'rejected' | 'expired';

/** The plan card while it waits for, or after, a second person's decision. */
export function approvalMessage(
  pending: Pick<PendingApproval, 'id' | 'plan' | 'actor' | 'approvers' | 'expiresAt' | 'rule'>,
  stage: ApprovalStage,
  options: { by?: string; jobNumber?: number } = {},
): Message {
  const base = planMessage(pending.plan as Plan, 'dry-run');
  const requested = `Requested by ${pending.actor.name}.`;
  const footers: Record<ApprovalStage, string> = {
    waiting: `Waiting for approval by ${pending.approvers.join(' or ')} (rule ${pending.rule}), not by the requester; expires at ${clock(pending.expiresAt)}. ${requested} Or type 'approve ${pending.id}' / 'reject ${pending.id}'.`,
    approved: `Approved by ${options.by}: running as a job. ${requested}${options.jobNumber === undefined ? '' : ` Job ${options.jobNumber}.`}`,
    rejected: `Rejected by ${options.by}: nothing was changed. ${requested}`,
    expired: `Approval expired at ${clock(pending.expiresAt)}: nothing was changed; run the command again. ${requested}`,
  };
  const message: Message = { ...base, severity: stage === 'waiting' ? 'warning' : 'info', footer: footers[stage] };
  if (stage === 'waiting') {
    message.actions = [
      {
        id: BUTTON.approve,
        label: 'Approve',
        style: 'primary',
        value: pending.id,
        confirm: { title: 'Approve this change?', text: base.title, confirm: 'Approve', deny: 'Back' },
      },
      { id: BUTTON.reject, label: 'Reject', style: 'danger', value: pending.id },
    ];
  }
  return message;
}

export function clock(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`;
}
