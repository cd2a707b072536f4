import { type Activity, type ChannelAccount, type TeamsChannelData, TurnContext } from 'botbuilder';
import type { Actor, Conversation } from '../../core/request.js';
import { baseConversationId } from './conversations.js';

/** Normalising Teams activities into the platform-neutral request parts. */

export function actorOf(activity: Activity): Actor {
  const from: ChannelAccount = activity.from;
  // The Entra object id is the same for this user in every bot and tenant-wide policy; the 29: id is per bot.
  return { id: from.aadObjectId ?? from.id, name: from.name ?? from.id, platform: 'teams' };
}

export function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  const data: unknown = activity.channelData;
  return typeof data === 'object' && data !== null ? (data as TeamsChannelData) : {};
}

export function conversationOf(activity: Activity): Conversation {
  const data = channelDataOf(activity);
  const name = data.channel?.name ?? activity.conversation.name;
  const teamId = data.tenant?.id ?? activity.conversation.tenantId;
  return { platform: 'teams', id: baseConversationId(activity.conversation.id), ...(name ? { name } : {}), ...(teamId ? { teamId } : {}) };
}

/**
 * The command in a message, or undefined when the message is not addressed to the
 * bot: in a channel or group chat only a message that @mentions it is a command
 * (free text that merely looks like one is not), in a personal chat every message is.
 */
export function commandTextOf(activity: Activity): string | undefined {
  const personal = activity.conversation.conversationType === 'personal';
  const mentioned = (activity.entities ?? []).some(
    (e) => e.type === 'mention' && typeof e.mentioned === 'object' && e.mentioned !== null && (e.mentioned as ChannelAccount).id === activity.recipient.id,
  );
  if (!personal && !mentioned) return undefined;
  const raw = mentioned ? TurnContext.removeRecipientMention(activity) : (activity.text ?? '');
  const text = raw.replaceAll('&nbsp;', ' ').replace(/\s+/g, ' ').trim();
  return text === '' ? 'help' : text;
}

/** Action.Submit from a client without Universal Actions: a message whose value names the button. */
export function submittedAction(activity: Activity): { actionId: string; value: string } | undefined {
  const value: unknown = activity.value;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const actionId = typeof record.verb === 'string' ? record.verb : typeof record.actionId === 'string' ? record.actionId : undefined;
  if (!actionId) return undefined;
  return { actionId, value: typeof record.value === 'string' ? record.value : '' };
}

/** Channel names to index a conversation under: the channel's own name, and team/channel. */
export function channelNames(data: TeamsChannelData, channel = data.channel): string[] {
  if (!channel) return [];
  const name = channel.name ?? (channel.id === data.team?.id ? 'General' : undefined);
  if (!name) return [];
  return [...(name === 'General' ? [] : [name]), ...(data.team?.name ? [`${data.team.name}/${name}`] : [])];
}
