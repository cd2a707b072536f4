import { randomBytes } from 'node:crypto';

export const APP_ID = '6f1c2a4e-8d3b-4c7a-9e21-0b5d7f3a1c90';
export const TENANT_ID = '0d9a4c1e-5b7f-4e2a-8c3d-6f1b2a9e7d40';
export const BOT = { id: `28:${APP_ID}`, name: 'maestro' };
export const CHANNEL_ID = '19:4f1b2c3d5e6f7a8b9c0d1e2f3a4b5c6d@thread.tacv2';
export const TEAM_ID = '19:team0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c@thread.tacv2';
export const ALICE = { id: '29:1alice', name: 'Alice', aadObjectId: 'a11ce000-0000-4000-8000-000000000001' };
export const BOB = { id: '29:1bob', name: 'Bob', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };

type Account = { id: string; name: string; aadObjectId?: string };

export function activityId(): string {
  return `17${Date.now()}${randomBytes(2).readUInt16BE(0)}`;
}

function base(serviceUrl: string, conversation: Record<string, unknown>, from: Account) {
  return {
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    conversation: { tenantId: TENANT_ID, ...conversation },
    channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID, name: 'Maestro' }, channel: { id: CHANNEL_ID } },
    timestamp: new Date().toISOString(),
    locale: 'en-US',
  };
}

/** `@maestro <text>` posted as a new message in the team's channel: its conversation id points at its own reply chain. */
export function channelCommand(serviceUrl: string, text: string, options: { id?: string; from?: Account; mention?: boolean } = {}) {
  const id = options.id ?? activityId();
  const mention = options.mention ?? true;
  return {
    ...base(serviceUrl, { id: `${CHANNEL_ID};messageid=${id}`, conversationType: 'channel', isGroup: true }, options.from ?? ALICE),
    type: 'message',
    id,
    text: mention ? `<at>maestro</at> ${text}` : text,
    textFormat: 'plain',
    entities: mention ? [{ type: 'mention', text: '<at>maestro</at>', mentioned: BOT }] : [],
  };
}

/** A message in the personal chat with the bot: no mention needed. */
export function personalCommand(serviceUrl: string, text: string, options: { id?: string; from?: Account } = {}) {
  const from = options.from ?? ALICE;
  return {
    ...base(serviceUrl, { id: `a:1personal-${from.id}`, conversationType: 'personal' }, from),
    channelData: { tenant: { id: TENANT_ID } },
    type: 'message',
    id: options.id ?? activityId(),
    text,
  };
}

/** A press of an Action.Execute button on the card `cardId`, as Teams sends it. */
export function cardAction(serviceUrl: string, fields: { verb: string; value: string; cardId: string; threadId?: string; from?: Account; conversationId?: string }) {
  const conversationId = fields.conversationId ?? `${CHANNEL_ID};messageid=${fields.threadId ?? fields.cardId}`;
  return {
    ...base(serviceUrl, { id: conversationId, conversationType: 'channel', isGroup: true }, fields.from ?? BOB),
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: activityId(),
    replyToId: fields.cardId,
    value: { action: { type: 'Action.Execute', id: fields.verb, verb: fields.verb, data: { value: fields.value } }, trigger: 'manual' },
  };
}

/** An Action.Submit press from an older client: a message carrying the button's data. */
export function submitAction(serviceUrl: string, fields: { verb: string; value: string; cardId: string; threadId?: string; from?: Account }) {
  return {
    ...base(serviceUrl, { id: `${CHANNEL_ID};messageid=${fields.threadId ?? fields.cardId}`, conversationType: 'channel', isGroup: true }, fields.from ?? BOB),
    type: 'message',
    id: activityId(),
    replyToId: fields.cardId,
    value: { verb: fields.verb, value: fields.value },
  };
}

/** The bot added to the team: Teams sends a conversationUpdate in the General channel. */
export function botAddedToTeam(serviceUrl: string) {
  return {
    ...base(serviceUrl, { id: TEAM_ID, conversationType: 'channel', isGroup: true }, ALICE),
    channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID, name: 'Maestro' }, eventType: 'teamMemberAdded' },
    type: 'conversationUpdate',
    id: activityId(),
    membersAdded: [BOT],
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
