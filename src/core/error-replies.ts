import type { Message } from './message.js';

/** What every platform says when a request fails or is turned away: written once, rendered per platform. */
export const OVERLOADED_TEXT = 'maestro-bot is working through a burst of requests and did not take this one; nothing was run. Please try again in a moment.';

export function userErrorMessage(text: string): Message {
  return { title: 'That did not work', severity: 'warning', text };
}

export function internalErrorMessage(ref: string): Message {
  return {
    title: 'Something went wrong',
    severity: 'critical',
    text: `Something went wrong on our side (ref ${ref}). Nothing further was changed; the details are in the bot's log under that ref.`,
  };
}
