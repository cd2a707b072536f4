import type { Activity } from '@microsoft/agents-activity';
import type { ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import { z } from 'zod';
import { channelDataOf, channelNames, tenantOf } from './activities.js';
import { baseConversationId, type ConversationStore } from './conversations.js';
import type { TenantBoundary } from './tenant-boundary.js';

/** `GET v3/teams/{teamId}/conversations` (Bot Connector REST reference, "Get team channels"). */
const TeamChannels = z.object({ conversations: z.array(z.object({ id: z.string().min(1), name: z.string().optional() })) });

/**
 * What the bot learns from conversationUpdate and installationUpdate events: where it now
 * lives, and in a team every channel of it by name (names are the catalog's way of saying
 * "Maestro Incidents"; Teams sends them only here). A renamed channel is remembered under its
 * new name, a deleted one forgotten.
 */
export class Installation {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly tenants: TenantBoundary,
    private readonly log: Logger,
  ) {}

  async seen(context: TurnContext, added: boolean): Promise<void> {
    const { activity } = context;
    const data = channelDataOf(activity);
    const reference = activity.getConversationReference();
    if (added) await this.tenants.installedIn(tenantOf(activity), this.log);
    if (data.team?.id) await this.conversations.rememberTeam(data.team.id, { ...(data.team.aadGroupId ? { aadGroupId: data.team.aadGroupId } : {}), ...(data.team.name ? { name: data.team.name } : {}) });
    if (data.eventType === 'channelDeleted' && data.channel?.id) {
      await this.conversations.forget(data.channel.id);
      return;
    }
    // Channel created or renamed: the event names that channel (its conversation is its own id), not the
    // conversation the event arrived in, which keeps the names it has.
    const aboutOther = data.channel?.id !== undefined && data.channel.id !== baseConversationId(activity.conversation?.id ?? '');
    await this.conversations.remember(reference, aboutOther ? [] : channelNames(data));
    if (aboutOther && data.channel?.id) {
      await this.conversations.remember({ ...reference, conversation: { ...reference.conversation, id: data.channel.id, conversationType: 'channel' } }, channelNames(data));
    }
    if (added && data.team?.id) await this.learnChannels(context, activity, data.team.id);
  }

  private async learnChannels(context: TurnContext, activity: Activity, teamId: string): Promise<void> {
    const data = channelDataOf(activity);
    const reference = activity.getConversationReference();
    try {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const response = await client.httpClient.get(`/v3/teams/${encodeURIComponent(teamId)}/conversations`);
      for (const channel of TeamChannels.parse(response.data).conversations) {
        const conversation = { ...reference.conversation, id: channel.id, conversationType: 'channel' };
        await this.conversations.remember({ ...reference, conversation }, channelNames(data, { id: channel.id, name: channel.name }));
      }
    } catch (error) {
      this.log.warn({ err: error, teamId }, 'could not list the channels of the team the bot was added to');
    }
  }
}
