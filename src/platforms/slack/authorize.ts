import type { Authorize, AuthorizeResult, webApi } from '@slack/bolt';
import type { SlackCallMeter } from './call-meter.js';

/**
 * The single-workspace authorization Bolt would build from `token`, except that a
 * failed auth.test is tried again on the next request: Bolt caches the first
 * answer, failure included, so a network blip at start-up would turn every later
 * command away until a restart.
 */
export function authorizeBotToken(client: webApi.WebClient, botToken: string, meter: SlackCallMeter): Authorize<boolean> {
  let cached: Promise<AuthorizeResult> | undefined;
  return () => {
    if (!cached) {
      const attempt = meter.call('auth.test', () => client.auth.test({ token: botToken })).then((r) => ({ botToken, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }));
      cached = attempt;
      attempt.catch(() => {
        if (cached === attempt) cached = undefined;
      });
    }
    return cached;
  };
}
