import type { types } from '@slack/bolt';
import type { AdaptiveCard, ExecuteAction } from '../../../src/platforms/teams/adaptive-card.js';
import type { SlackCall } from '../../fakes/slack-api.js';
import { buttonPayload } from '../../slack/support/slack-requests.js';
import { cardAction } from '../../teams/support/activities.js';

/** The buttons of a card as the fake Slack Web API received it in chat.postMessage / chat.update. */
export function slackButtons(call: SlackCall): types.Button[] {
  const blocks = call.body.blocks as types.KnownBlock[];
  return blocks.filter((b): b is types.ActionsBlock => b.type === 'actions').flatMap((b) => b.elements as types.Button[]);
}

/** Every Action.Execute a Teams user can press on the card: top-level, and inside the confirmation a ShowCard unfolds. */
export function teamsExecutes(card: AdaptiveCard): ExecuteAction[] {
  return (card.actions ?? []).flatMap((a) => (a.type === 'Action.Execute' ? [a] : a.card.actions));
}

/** The Action.Execute that sends the press of the button labelled `label` (for a dangerous one, the one its confirmation unfolds). */
export function teamsButton(card: AdaptiveCard, label: string): ExecuteAction {
  const action = (card.actions ?? []).find((a) => a.title === label);
  if (!action) throw new Error(`no button '${label}' on the card`);
  return action.type === 'Action.Execute' ? action : action.card.actions[0]!;
}

/** The Adaptive Card the fake Bot Connector received in an activity. */
export function cardOf(activity: Record<string, unknown>): AdaptiveCard {
  const attachments = activity.attachments as Array<{ contentType: string; content: AdaptiveCard }>;
  return attachments[0]!.content;
}

/**
 * A press of `button` on the card Slack shows for `card`, form-encoded as Slack
 * sends a block_actions interaction (docs.slack.dev/reference/interaction-payloads/block_actions-payload;
 * bolt-js src/types/actions/block-action.ts): the pressed element's action_id, value
 * and text, the message it sits on, and the channel with its name (Slack sends it without '#').
 */
export function slackPress(card: SlackCall, button: types.Button, user: { id: string; name: string }): string {
  const channel = String(card.response!.channel);
  const ts = String(card.response!.ts);
  const payload = buttonPayload({ actionId: button.action_id!, value: button.value ?? '', messageTs: ts, channelId: channel, userId: user.id, userName: user.name });
  const [pressed] = payload.actions as Array<Record<string, unknown>>;
  const body = {
    ...payload,
    channel: { id: channel, name: channel.replace(/^#/, '') },
    message: { type: 'message', ts, text: card.body.text, blocks: card.body.blocks },
    actions: [{ ...pressed, text: button.text }],
  };
  return new URLSearchParams({ payload: JSON.stringify(body) }).toString();
}

/**
 * A press of `execute` on the card `cardId` in the Teams channel `channelId`: an
 * invoke named `adaptiveCard/action` whose value carries the Action.Execute's id,
 * verb and data (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards;
 * botframework-schema AdaptiveCardInvokeAction), sent in the card's reply chain with that channel's ids in channelData.
 */
export function teamsPress(serviceUrl: string, channelId: string, cardId: string, execute: ExecuteAction, from?: { id: string; name: string; aadObjectId?: string }) {
  return cardAction(serviceUrl, { verb: execute.verb, value: execute.data.value, cardId, channelId, ...(from ? { from } : {}) });
}
