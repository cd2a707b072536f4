import { randomBytes } from 'node:crypto';

/*
 * Teams activities as Teams posts them to /api/messages. Each builder follows a payload
 * Microsoft documents (MicrosoftDocs/msteams-docs, msteams-platform/...):
 * - bots/how-to/conversations/conversation-messages.md, "Teams channel data": in a channel,
 *   channelData carries ids only — tenant.id, team.id, channel.id, and the deprecated
 *   teamsTeamId/teamsChannelId kept for backward compatibility; team.name comes only with
 *   team events, channel.name only with channel events; personal chats carry tenant.id only.
 *   Its "Receive a message" JSON is the personal message below.
 * - bots/how-to/conversations/channel-and-group-conversations.md: a channel message names
 *   the bot in an `<at>` tag plus a `mention` entity; its conversation id is
 *   `<channel id>;messageid=<root message id>`.
 * - task-modules-and-cards/cards/cards-actions.md: a card press in a channel carries the
 *   channel context and `replyToId`, the id of the message holding the card; Action.Submit
 *   arrives as a message whose `value` is the action's data.
 * - task-modules-and-cards/cards/universal-actions-for-adaptive-cards (and
 *   adaptive-cards/authoring-cards/universal-action-model#request-format): the
 *   `adaptiveCard/action` invoke's value is {action: {type, id, verb, data}, trigger}.
 * - bots/how-to/conversations/subscribe-to-conversation-events.md: the JSON examples of the
 *   `channelCreated`/`channelRenamed` and `teamMemberAdded` conversationUpdates and of
 *   `installationUpdate` (team.name and settings.selectedChannel appear only in the last two).
 */

export const APP_ID = '6f1c2a4e-8d3b-4c7a-9e21-0b5d7f3a1c90';
export const TENANT_ID = '0d9a4c1e-5b7f-4e2a-8c3d-6f1b2a9e7d40';
export const BOT = { id: `28:${APP_ID}`, name: 'maestro' };
export const CHANNEL_ID = '19:4f1b2c3d5e6f7a8b9c0d1e2f3a4b5c6d@thread.tacv2';
export const TEAM_ID = '19:team0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c@thread.tacv2';
/** The team's Entra group id, sent as team.aadGroupId on team events. */
export const TEAM_GROUP_ID = 'c7e4a2b1-9d3f-4e6a-8b5c-2f1d0e9a7b63';
export const TEAM_NAME = 'Maestro';
export const ALICE = { id: '29:1alice', name: 'Alice', aadObjectId: 'a11ce000-0000-4000-8000-000000000001' };
export const BOB = { id: '29:1bob', name: 'Bob', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };

type Account = { id: string; name: string; aadObjectId?: string };

export function activityId(): string {
  return `17${Date.now()}${randomBytes(2).readUInt16BE(0)}`;
}

function envelope(serviceUrl: string, from: Record<string, unknown>) {
  return { channelId: 'msteams', serviceUrl, from, recipient: BOT, timestamp: new Date().toISOString(), locale: 'en-US' };
}

/** A conversation in a team's channel: the channel itself, or a reply chain in it (`;messageid=`). */
function inChannel(conversationId: string, tenantId = TENANT_ID) {
  return { isGroup: true, conversationType: 'channel', tenantId, id: conversationId };
}

/** What Teams puts in channelData for activities in a team's channel: ids, no names. */
export function channelDataFor(channelId: string, tenantId = TENANT_ID) {
  return { teamsChannelId: channelId, teamsTeamId: TEAM_ID, channel: { id: channelId }, team: { id: TEAM_ID }, tenant: { id: tenantId } };
}

/**
 * `@maestro <text>` posted in a team's channel (CHANNEL_ID unless `channelId`): a new
 * message's conversation id points at its own reply chain, a reply's at its thread root.
 */
export function channelCommand(
  serviceUrl: string,
  text: string,
  options: { id?: string; from?: Account; mention?: boolean; channelId?: string; threadId?: string; tenantId?: string } = {},
) {
  const id = options.id ?? activityId();
  const mention = options.mention ?? true;
  const channelId = options.channelId ?? CHANNEL_ID;
  return {
    ...envelope(serviceUrl, options.from ?? ALICE),
    conversation: inChannel(`${channelId};messageid=${options.threadId ?? id}`, options.tenantId),
    channelData: channelDataFor(channelId, options.tenantId),
    type: 'message',
    id,
    text: mention ? `<at>maestro</at> ${text}` : text,
    textFormat: 'plain',
    entities: mention ? [{ type: 'mention', text: '<at>maestro</at>', mentioned: BOT }] : [],
  };
}

/** A message in the personal chat with the bot: no mention needed, channelData holds the tenant only. */
export function personalCommand(serviceUrl: string, text: string, options: { id?: string; from?: Account } = {}) {
  const from = options.from ?? ALICE;
  return {
    ...envelope(serviceUrl, from),
    conversation: { conversationType: 'personal', id: `a:1personal-${from.id}` },
    channelData: { tenant: { id: TENANT_ID } },
    type: 'message',
    id: options.id ?? activityId(),
    text,
    textFormat: 'plain',
  };
}

export const GROUP_CHAT_ID = '19:groupchat0a1b2c3d4e5f6a7b8c9d0e1f2@thread.v2';

/**
 * `@maestro <text>` in a group chat (channel-and-group-conversations.md): conversationType
 * `groupChat`, a `19:…@thread.v2` id with no reply chains, channelData with the tenant only.
 */
export function groupCommand(serviceUrl: string, text: string, options: { mention?: boolean } = {}) {
  const mention = options.mention ?? true;
  return {
    ...envelope(serviceUrl, ALICE),
    conversation: { isGroup: true, conversationType: 'groupChat', tenantId: TENANT_ID, id: GROUP_CHAT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    type: 'message',
    id: activityId(),
    text: mention ? `<at>maestro</at> ${text}` : text,
    textFormat: 'plain',
    entities: mention ? [{ type: 'mention', text: '<at>maestro</at>', mentioned: BOT }] : [],
  };
}

/**
 * A press of an Action.Execute button on the card `cardId`, in the card's reply chain
 * (or the thread `threadId`) of the channel `channelId` (CHANNEL_ID unless given).
 */
export function cardAction(
  serviceUrl: string,
  fields: { verb: string; value: string; cardId: string; threadId?: string; from?: Account; channelId?: string; tenantId?: string; id?: string },
) {
  const channelId = fields.channelId ?? CHANNEL_ID;
  return {
    ...envelope(serviceUrl, fields.from ?? BOB),
    conversation: inChannel(`${channelId};messageid=${fields.threadId ?? fields.cardId}`, fields.tenantId),
    channelData: channelDataFor(channelId, fields.tenantId),
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: fields.id ?? activityId(),
    replyToId: fields.cardId,
    value: { action: { type: 'Action.Execute', id: fields.verb, verb: fields.verb, data: { value: fields.value } }, trigger: 'manual' },
  };
}

/**
 * An Action.Submit press: a message whose `value` is the button's data. The bot's cards
 * carry no Action.Submit (nor a fallback to one), so {verb, value} is the shape
 * src/platforms/teams/activities.ts#submittedAction reads, not data a card of ours sends.
 */
export function submitAction(serviceUrl: string, fields: { verb: string; value: string; cardId: string; threadId?: string; from?: Account }) {
  return {
    ...envelope(serviceUrl, fields.from ?? BOB),
    conversation: inChannel(`${CHANNEL_ID};messageid=${fields.threadId ?? fields.cardId}`),
    channelData: channelDataFor(CHANNEL_ID),
    type: 'message',
    id: activityId(),
    replyToId: fields.cardId,
    value: { verb: fields.verb, value: fields.value },
  };
}

/** The team as team events describe it: the only activities that carry its name. */
const TEAM = { aadGroupId: TEAM_GROUP_ID, name: TEAM_NAME, id: TEAM_ID };
/** Who added the bot: team events name the user by ids only. */
const INSTALLER = { id: ALICE.id, aadObjectId: ALICE.aadObjectId };

/**
 * The bot added to the team: a `teamMemberAdded` conversationUpdate whose conversation is the
 * channel picked at install (here General, whose id is the team's), with the bot in membersAdded.
 */
export function botAddedToTeam(serviceUrl: string) {
  return {
    ...envelope(serviceUrl, INSTALLER),
    conversation: inChannel(TEAM_ID),
    channelData: { settings: { selectedChannel: { id: TEAM_ID } }, team: TEAM, eventType: 'teamMemberAdded', tenant: { id: TENANT_ID } },
    type: 'conversationUpdate',
    id: `f:${activityId()}`,
    membersAdded: [{ id: BOT.id }],
  };
}

/**
 * A channel created (or renamed) in the team: a conversationUpdate in the team's conversation
 * whose channelData names the channel — and gives the team by id only.
 */
export function channelEvent(serviceUrl: string, eventType: 'channelCreated' | 'channelRenamed' | 'channelDeleted', channel: { id: string; name: string }) {
  return {
    ...envelope(serviceUrl, { id: ALICE.id }),
    conversation: inChannel(TEAM_ID),
    channelData: { channel, team: { id: TEAM_ID }, eventType, tenant: { id: TENANT_ID } },
    type: 'conversationUpdate',
    id: `f:${activityId()}`,
  };
}

/** The app installed in (`add`) or removed from (`remove`) the team, from the channel `channelId` (General unless given). */
export function installationUpdate(serviceUrl: string, action: 'add' | 'add-upgrade' | 'remove' | 'remove-upgrade', options: { channelId?: string } = {}) {
  const channelId = options.channelId ?? TEAM_ID;
  return {
    ...envelope(serviceUrl, INSTALLER),
    conversation: inChannel(channelId),
    channelData: { settings: { selectedChannel: { id: channelId } }, channel: { id: channelId }, team: TEAM, tenant: { id: TENANT_ID }, source: { name: 'message' } },
    type: 'installationUpdate',
    id: `f:${activityId()}`,
    action,
  };
}

export interface PostResult {
  status: number;
  body: string;
  json?: Record<string, unknown>;
  ms: number;
}

/** POSTs an activity to /api/messages with `Authorization: Bearer <token>` (or none). */
export async function postActivity(baseUrl: string, activity: unknown, token: string | undefined, options: { raw?: string } = {}): Promise<PostResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers, body: options.raw ?? JSON.stringify(activity) });
  const body = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body, json, ms: performance.now() - started };
}
