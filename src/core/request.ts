import type { PlatformName } from '../platforms/index.js';

/**
 * What every adapter normalises its platform's input into. The names come from the
 * registered platforms (src/platforms/index.ts); an actor that is not a chat user
 * (the bot's own automatic changes) can be given a platform of its own beside them.
 */
export type Platform = PlatformName;

/** Who acts: a person on a chat platform, or the bot itself (`system`) for the changes it makes on its own. */
export type ActorPlatform = Platform | 'system';

export interface Actor {
  id: string;
  name: string;
  platform: ActorPlatform;
}

export interface Conversation {
  platform: Platform;
  id: string;
  /** What people call it, when the platform says (Slack does; Teams sends ids only). */
  name?: string;
  /** Slack workspace / Teams team (`channelData.team.id`), recorded in the audit trail; roles may be granted by it. */
  teamId?: string;
  /** The Microsoft Entra tenant (a GUID) a Teams conversation belongs to: the tenant boundary and tenant-wide roles. */
  tenantId?: string;
}

export interface CommandRequest {
  kind: 'command';
  /** Unique per delivery: used for log correlation and idempotency. */
  id: string;
  actor: Actor;
  conversation: Conversation;
  threadId?: string;
  text: string;
}

export interface InteractionRequest {
  kind: 'interaction';
  id: string;
  actor: Actor;
  conversation: Conversation;
  threadId?: string;
  actionId: string;
  value: string;
}

export type Request = CommandRequest | InteractionRequest;
