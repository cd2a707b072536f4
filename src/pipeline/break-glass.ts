import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { Plan } from '../core/action.js';
import type { ChatPort } from '../core/chat-port.js';
import type { Message } from '../core/message.js';
import { incidentChannels } from '../config/policy.js';
import type { Actor, Conversation } from '../core/request.js';

/** Pages the on-call (main.ts fills it with the PagerDuty client). */
export interface Pager {
  /** What it resolves to (an incident key, say) is of no interest here. */
  page(summary: string, details: Record<string, unknown>): Promise<unknown>;
}

export interface BreakGlassUse {
  actor: Actor;
  conversation: Conversation;
  plan: Plan;
  env: string;
  reason: string;
  requestId: string;
}

/**
 * Skipping approval must be loud: it pages, and it posts a notice in the service's
 * incident channels (or where it was typed, when the service has none on that
 * platform). A failed page is logged and said in the notice, never a reason to
 * block an emergency change.
 */
export async function announceBreakGlass(
  use: BreakGlassUse,
  deps: { catalog: Catalog; chat: ChatPort; pager?: Pager; log: Logger },
): Promise<{ paged: boolean; channels: string[] }> {
  const summary = `BREAK-GLASS: ${use.actor.name} skipped approval to ${use.plan.summary}`;
  let paged = false;
  if (deps.pager) {
    try {
      await deps.pager.page(summary, {
        requester: use.actor.name,
        platform: use.actor.platform,
        conversation: use.conversation.name ?? use.conversation.id,
        service: use.plan.target.service,
        env: use.env,
        reason: use.reason,
        requestId: use.requestId,
      });
      paged = true;
    } catch (error) {
      deps.log.error({ err: error, requestId: use.requestId }, 'break-glass page failed');
    }
  } else {
    deps.log.warn({ requestId: use.requestId }, 'break-glass used but no pager is configured');
  }
  const listed = incidentChannels(deps.catalog, use.plan.target.service, use.conversation.platform);
  const channels = listed.length > 0 ? [...listed] : [use.conversation.id];
  const notice: Message = {
    title: `🚨 ${summary}`,
    severity: 'critical',
    fields: [
      { label: 'Who', value: `${use.actor.name} (${use.actor.platform})` },
      { label: 'Where', value: use.conversation.name ?? use.conversation.id },
      { label: 'Service', value: use.plan.target.service },
      { label: 'Environment', value: use.env },
      { label: 'Reason', value: use.reason },
    ],
    footer: paged ? 'On-call has been paged. This is flagged in the audit trail.' : 'Paging on-call FAILED: page them yourself. This is flagged in the audit trail.',
  };
  for (const channel of channels) {
    try {
      await deps.chat.post(channel, notice);
    } catch (error) {
      deps.log.error({ err: error, channel, requestId: use.requestId }, 'could not post the break-glass notice');
    }
  }
  return { paged, channels };
}
