import type { Activity, ChannelAccount } from '@microsoft/agents-activity';
import type { Actor, Conversation } from '../../core/request.js';
import { baseConversationId } from './conversations.js';

/**
 * Normalising Teams activities into the platform-neutral request parts. What Teams puts in
 * `channelData` (msteams-docs, bots/how-to/conversations/conversation-messages.md, "Teams channel
 * data"): ids only — `tenant.id`, `team.id`, `channel.id` (and the older `teamsTeamId` /
 * `teamsChannelId`); `team.name`, `team.aadGroupId` and `channel.name` only with team and channel
 * events (`eventType`), and `settings.selectedChannel` with installationUpdate.
 */
export interface TeamsChannelData {
  eventType?: string;
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
  teamsTeamId?: string;
  teamsChannelId?: string;
  settings?: { selectedChannel?: { id?: string } };
}

export function actorOf(activity: Activity): Actor {
  const from: ChannelAccount = activity.from ?? { id: 'unknown' };
  // The Entra object id is the same for this user in every bot and tenant-wide policy; the 29: id is per bot.
  return { id: from.aadObjectId ?? from.id ?? 'unknown', name: from.name ?? from.id ?? 'unknown', platform: 'teams' };
}

export function channelDataOf(activity: Pick<Activity, 'channelData'>): TeamsChannelData {
  const data: unknown = activity.channelData;
  return typeof data === 'object' && data !== null ? (data as TeamsChannelData) : {};
}

/** The tenant an activity comes from: channelData's, or the conversation's (personal chats). */
export function tenantOf(activity: Activity): string | undefined {
  return channelDataOf(activity).tenant?.id ?? activity.conversation?.tenantId;
}

/**
 * Where a request came from, by id: the channel-level conversation id (in a team, the channel's
 * own id), the team's id and the tenant's. Teams sends no channel name with a message or a card
 * press, so none is taken from the activity; the policy resolves the catalog's names to ids.
 */
export function conversationOf(activity: Activity): Conversation {
  const data = channelDataOf(activity);
  const teamId = data.team?.id ?? data.teamsTeamId;
  const tenantId = tenantOf(activity);
  return {
    platform: 'teams',
    id: baseConversationId(activity.conversation?.id ?? ''),
    ...(teamId ? { teamId } : {}),
    ...(tenantId ? { tenantId } : {}),
  };
}

/**
 * The command in a message, or undefined when the message is not addressed to the
 * bot: in a channel or group chat only a message that @mentions it is a command
 * (free text that merely looks like one is not), in a personal chat every message is.
 */
export function commandTextOf(activity: Activity): string | undefined {
  const personal = activity.conversation?.conversationType === 'personal';
  const botId = activity.recipient?.id;
  const mentioned = (activity.entities ?? []).some((e) => {
    const mention = e as { type?: string; mentioned?: { id?: string } };
    return mention.type === 'mention' && botId !== undefined && mention.mentioned?.id === botId;
  });
  if (!personal && !mentioned) return undefined;
  const raw = mentioned ? activity.removeRecipientMention() : (activity.text ?? '');
  const text = raw
    .replaceAll('&nbsp;', ' ')
    .replace(/<\/?at>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
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
