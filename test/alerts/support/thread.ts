import type { SlackCall } from '../../fakes/slack-api.js';
import type { FakeSlackApi } from '../../fakes/slack-api.js';

/**
 * Since alert paging became a `page` job maestro-bot runs through the pipeline,
 * an incident thread holds that job's card (posted once, edited in place to its
 * result; no result reply): the audited change's one visible trace. Thread notes
 * (new alert, resolved, acknowledged) are everything else in the thread.
 */
export function isPageJobCard(call: SlackCall): boolean {
  return `${String(call.body.text)} ${JSON.stringify(call.body.blocks ?? '')}`.toLowerCase().includes('page the on-call of');
}

/** Everything posted in the thread of the card `ts`. */
export function threadPosts(slack: FakeSlackApi, ts: string): SlackCall[] {
  return slack.succeeded('chat.postMessage').filter((c) => c.body.thread_ts === ts);
}

/** The thread's notes: its posts other than the page job's card. */
export function threadNotes(slack: FakeSlackApi, ts: string): SlackCall[] {
  return threadPosts(slack, ts).filter((c) => !isPageJobCard(c));
}

/** The page job's cards in the thread (one per page). */
export function pageJobCards(slack: FakeSlackApi, ts: string): SlackCall[] {
  return threadPosts(slack, ts).filter(isPageJobCard);
}
