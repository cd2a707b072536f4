import type { Logger } from 'pino';
import type { renderBlocks } from './block-kit.js';
import type { SlackCallMeter } from './call-meter.js';

/** Where Slack's response_urls live; SLACK_RESPONSE_URL_BASE points tests at a fake. */
export const SLACK_RESPONSE_URL_BASE = 'https://hooks.slack.com/';

/** Slack honours a response_url up to 5 times within 30 minutes of the request. */
const MAX_USES = 5;
const LIFETIME_MS = 30 * 60_000;
const TIMEOUT_MS = 10_000;

/**
 * The response_url of one slash command or button press. It takes an ephemeral
 * message for the person who made the request even where the bot is not a member
 * (a private channel, someone else's DM). It came in a request body, so it is only
 * ever POSTed to when it lies under `base`, and without following redirects. The
 * URL is a credential for that conversation: it is never logged, only its origin.
 */
export class ResponseUrl {
  private uses = 0;
  private broken = false;
  private readonly receivedAt = Date.now();

  constructor(
    private readonly url: string,
    private readonly base: string,
    private readonly log: Logger,
    private readonly meter?: SlackCallMeter,
  ) {}

  /** Sends `rendered` as an ephemeral message; false, with a warning saying why, when it could not. */
  async ephemeral(rendered: ReturnType<typeof renderBlocks>): Promise<boolean> {
    if (!isUnder(this.url, this.base)) {
      this.log.warn({ responseUrlOrigin: originOf(this.url), allowed: this.base }, `response_url refused: it is not under ${this.base}`);
      return false;
    }
    if (this.broken || this.uses >= MAX_USES || Date.now() - this.receivedAt > LIFETIME_MS) {
      this.log.warn({ uses: this.uses }, 'response_url not used: it failed before, or is used up or expired');
      return false;
    }
    this.uses += 1;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        // An answer beside the pressed message, never in its place.
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...rendered }),
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const answer = (await response.text()).slice(0, 100);
      this.meter?.count('response_url', response.ok);
      if (response.ok) return true;
      this.broken = true;
      this.log.warn({ status: response.status, answer }, `response_url answered ${response.status}`);
    } catch (error) {
      this.broken = true;
      this.meter?.count('response_url', false);
      this.log.warn({ reason: reasonOf(error) }, 'response_url could not be reached');
    }
    return false;
  }
}

/** Same scheme, host and port as `base`, under its path, no credentials: `https://hooks.slack.com.evil/` is not under `https://hooks.slack.com/`. */
function isUnder(raw: string, base: string): boolean {
  const url = parse(raw);
  const allowed = new URL(base);
  return (
    url !== undefined &&
    url.protocol === allowed.protocol &&
    url.host === allowed.host &&
    url.username === '' &&
    url.password === '' &&
    url.pathname.startsWith(allowed.pathname)
  );
}

/** fetch's own message and its cause's code ("fetch failed: ECONNREFUSED"); neither carries the URL. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && 'code' in error.cause ? `: ${String(error.cause.code)}` : '';
  return `${error.message}${cause}`;
}

function originOf(raw: string): string {
  return parse(raw)?.origin ?? '(not a URL)';
}

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
