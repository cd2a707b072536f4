import type { MessageRef } from '../core/chat-port.js';
import { platformNamed } from './index.js';

/** A link that opens the thread of a posted message, where its platform has one (Slack's archive link). */
export function threadLink(ref: MessageRef): string | undefined {
  return platformNamed(ref.platform)?.threadLink?.(ref);
}
