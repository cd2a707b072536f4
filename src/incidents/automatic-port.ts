import type { ChatPort } from '../core/chat-port.js';
import type { Conversation } from '../core/request.js';

/**
 * What incidents need of the pipeline's entry for automatic changes
 * (src/pipeline/automatic.ts): run a command as maestro-bot in an incident's
 * thread, once per key. Declared here, by its consumer, so incidents do not
 * import the pipeline.
 */
export interface AutomaticChangesPort {
  run(change: { key: string; text: string; conversation: Conversation; threadId?: string }, chat: ChatPort): Promise<{ kind: string; error?: string }>;
}
