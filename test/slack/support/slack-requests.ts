import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlashCommandFields {
  text: string;
  trigger_id?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  /** Slack sends the channel's name, or `privategroup` / `directmessage` for a private channel or a DM. */
  channel_name?: string;
  response_url?: string;
}

let triggers = 0;
export function newTriggerId(): string {
  triggers += 1;
  return `13345224609.738474920.${Date.now()}${triggers}`;
}

/** A slash command as Slack sends it over HTTP: form-encoded. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams(slashCommandPayload(fields)).toString();
}

/**
 * A slash command's fields, as Slack form-encodes them over HTTP and puts them in a Socket Mode envelope's payload:
 * the fields of Slack's "app command handling" example (https://api.slack.com/interactivity/slash-commands#app_command_handling)
 * and of bolt-js's `SlashCommand` (slackapi/bolt-js:src/types/command/index.ts), without the Enterprise Grid ones
 * (enterprise_id, enterprise_name), which a workspace that is not in a grid does not get.
 */
export function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0001',
    team_domain: 'example',
    channel_id: fields.channel_id ?? 'C0INCIDENT',
    channel_name: fields.channel_name ?? 'incident',
    user_id: fields.user_id ?? 'U0ALICE',
    user_name: fields.user_name ?? 'alice',
    command: '/maestro',
    text: fields.text,
    api_app_id: 'A0MAESTRO',
    is_enterprise_install: 'false',
    response_url: fields.response_url ?? 'https://hooks.slack.com/commands/T0001/1/xyz',
    trigger_id: fields.trigger_id ?? newTriggerId(),
  };
}

export interface ButtonFields {
  actionId: string;
  value: string;
  messageTs: string;
  channelId?: string;
  channelName?: string;
  userId?: string;
  userName?: string;
  triggerId?: string;
  actionTs?: string;
  responseUrl?: string;
}

/** A block_actions interaction as Slack sends it over HTTP: `payload=<json>`, form-encoded. */
export function buttonBody(fields: ButtonFields): string {
  return new URLSearchParams({ payload: JSON.stringify(buttonPayload(fields)) }).toString();
}

/**
 * A block_actions payload: JSON in the `payload` field over HTTP, the payload of an `interactive` envelope in Socket Mode.
 * Its fields are those of Slack's block_actions reference (https://api.slack.com/reference/interaction-payloads/block-actions)
 * and bolt-js's `BlockAction` (slackapi/bolt-js:src/types/actions/block-action.ts). `message` is the pressed message
 * with only some of the fields Slack sends (user, bot_id, blocks and more are left out: the bot reads none of them).
 */
export function buttonPayload(fields: ButtonFields): Record<string, unknown> {
  const channel = fields.channelId ?? 'C0INCIDENT';
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'example' },
    user: { id: fields.userId ?? 'U0BOB', username: fields.userName ?? 'bob', name: fields.userName ?? 'bob', team_id: 'T0001' },
    api_app_id: 'A0MAESTRO',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: fields.messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: fields.triggerId ?? newTriggerId(),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: fields.channelName ?? 'incident' },
    message: { type: 'message', ts: fields.messageTs, text: 'plan' },
    state: { values: {} },
    response_url: fields.responseUrl ?? 'https://hooks.slack.com/actions/T0001/1/xyz',
    actions: [
      {
        type: 'button',
        action_id: fields.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Confirm' },
        value: fields.value,
        action_ts: fields.actionTs ?? `${Date.now() / 1000}`,
      },
    ],
  };
}

export interface PostOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Overrides the computed signature. */
  signature?: string;
  omitSignature?: boolean;
  omitTimestamp?: boolean;
  headers?: Record<string, string>;
}

export interface PostResult {
  status: number;
  body: string;
  ms: number;
}

/** POSTs a body to /slack/events signed as Slack signs it (or deliberately not). */
export async function postSlack(baseUrl: string, body: string, options: PostOptions = {}): Promise<PostResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (!options.omitTimestamp) headers['x-slack-request-timestamp'] = String(timestamp);
  if (!options.omitSignature) headers['x-slack-signature'] = options.signature ?? signature(options.secret ?? SIGNING_SECRET, timestamp, body);
  const started = performance.now();
  const response = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}
