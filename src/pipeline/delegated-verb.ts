import type { ChatPort } from '../core/chat-port.js';
import type { CommandRequest } from '../core/request.js';

/** What a delegated command is about: the policy decides on its service and env, the audit record keeps `detail`. */
export interface DelegatedTarget {
  service?: string;
  env: string;
  detail: Record<string, unknown>;
}

export type DelegatedOutcome = { ok: true; result: string } | { ok: false; error: string };

/**
 * A verb the command handler parses, authorises and audits like any other, but
 * whose work lives outside the action pipeline: `ack` and `resolve` act on an
 * incident, which only the incidents module can find. It is registered with
 * CommandHandler.delegate() by the module that owns that state.
 */
export interface DelegatedVerb {
  /** Finds what the command names; throws a UserError when it names nothing that exists. */
  target(request: CommandRequest, args: unknown): Promise<DelegatedTarget>;
  /** Runs once the policy allowed it; says what happened, or why nothing did. */
  run(request: CommandRequest, target: DelegatedTarget, chat: ChatPort): Promise<DelegatedOutcome>;
}
