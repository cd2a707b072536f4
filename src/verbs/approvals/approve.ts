import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';

const ApprovalArgs = z.object({
  request: z
    .string()
    .regex(/^a[A-Za-z0-9_-]{12}$/, 'must be an approval request id, as its card shows it')
    .describe('the request id on the card waiting for approval')
    .register(argMeta, { positional: true }),
});
type ApprovalArgs = z.infer<typeof ApprovalArgs>;

/**
 * The verbs behind the Approve and Reject buttons, for the console (drills) and for
 * anyone who prefers typing. The command handler answers them itself, with the
 * same checks a button press gets: they need the approval desk and the chat the
 * request's card lives in, which no action context carries.
 */
function approvalVerb(name: 'approve' | 'reject', summary: string): Action<ApprovalArgs> {
  return {
    name,
    summary,
    args: ApprovalArgs,
    // Read: answered in the request. What it may do is decided by the approval rule, not by risk.
    risk: 'read',
    examples: [`${name} aQ3x9Zk2LmP0w`],
    async execute() {
      throw new Error(`'${name}' is answered by the command handler's approval desk; it has no execute of its own`);
    },
  };
}

export const approve = approvalVerb('approve', "Approve someone else's request that waits for a second person");
export const reject = approvalVerb('reject', 'Reject a request that waits for approval (or withdraw your own)');

/** Verbs the command handler routes to the approval desk instead of executing. */
export const APPROVAL_VERBS: ReadonlySet<string> = new Set([approve.name, reject.name]);
