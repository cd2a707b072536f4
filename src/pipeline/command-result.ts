import type { MessageRef } from '../core/chat-port.js';

/** How a request (typed or pressed) ended, for the adapter that must tell the presser what the conversation does not. */
export type CommandResult =
  | { kind: 'answered' }
  /** `shown`: the error is already in the conversation for everyone, so adapters need not tell the presser again. */
  | { kind: 'failed'; error: string; shown?: true }
  | { kind: 'needs_confirmation'; confirmId: string; ref: MessageRef }
  | { kind: 'awaiting_approval'; approvalId: string; ref: MessageRef }
  | { kind: 'queued'; jobNumber: number; jobId: string; created: boolean; ref: MessageRef };
