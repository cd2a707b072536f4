import type { AuditEntry, AuditSink } from '../core/audit.js';
import { MAX_COMMAND_LENGTH } from '../core/grammar.js';
import type { Actor, Conversation } from '../core/request.js';

/** Whom and what an audit record is about: the request, or the stored request a press acts on. */
export interface AuditSubject {
  id: string;
  actor: Actor;
  conversation: Conversation;
  text: string;
}

export type AuditFields = Omit<AuditEntry, 'requestId' | 'actor' | 'conversation' | 'text'>;

/** The one way the pipeline writes the trail, so every record names its request the same way. */
export async function auditRequest(sink: AuditSink, subject: AuditSubject, entry: AuditFields): Promise<void> {
  await sink.record({
    requestId: subject.id,
    actor: subject.actor,
    conversation: {
      id: subject.conversation.id,
      name: subject.conversation.name,
      teamId: subject.conversation.teamId,
      ...(subject.conversation.tenantId ? { tenantId: subject.conversation.tenantId } : {}),
    },
    // An overlong command is refused by the parser; the audit keeps its start, not all of it.
    text: subject.text.slice(0, MAX_COMMAND_LENGTH),
    ...entry,
  });
}
