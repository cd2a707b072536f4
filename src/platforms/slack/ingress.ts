import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { OVERLOADED_TEXT } from '../../core/error-replies.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../http/json-depth.js';
import type { EdgeHooks, EdgeIngressConfig, EdgeIngressFactory, EdgeRefusal } from '../shared/platform.js';
import { envelopeProblem } from './envelope.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own payloads are a few kB; anything near this is not from Slack. */
export const SLACK_BODY_LIMIT = 64 * 1024;
const WINDOW_SECONDS = 5 * 60;
/** Slack's unsigned connectivity probe is `ssl_check=1&token=…`: tiny. */
const SSL_CHECK_LIMIT = 512;

/** What the HTTP edge needs to answer Slack on its own; plain data, so it crosses to a worker thread. */
export interface SlackIngressConfig extends EdgeIngressConfig {
  signingSecret: string;
}

/** A verified, acknowledged Slack request, handed on for Bolt to process. */
export interface SlackDelivery {
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

export type SlackRefusal = EdgeRefusal;

export type SlackIngressHooks = EdgeHooks<SlackDelivery>;

/** A refusal: the status, and the reason we log (never shown to the caller). */
class Refusal extends Error {
  constructor(
    readonly status: SlackRefusal['status'],
    reason: string,
  ) {
    super(reason);
  }
}

const BUSY_REPLY = JSON.stringify({ response_type: 'ephemeral', text: OVERLOADED_TEXT });

/**
 * Answers POST /slack/events by itself: verifies the request (HMAC-SHA256 of
 * `v0:{timestamp}:{body}` in constant time, the 5-minute window both ways, the body
 * limit), answers 200 in the turn the body ends, and only then hands it on.
 * Nothing here waits on Bolt, Redis or the work of earlier requests, which is the
 * point: Slack's 3-second deadline is met however busy the rest of the bot is.
 *
 * A refused request (401 forged or stale, 413 oversized, 400 malformed) is never
 * handed on. When too much acknowledged work is waiting, a slash command is told
 * so in its ack and a button gets 503, rather than work being held without end.
 */
export function slackIngress(config: SlackIngressConfig, hooks: SlackIngressHooks): (req: IncomingMessage, res: ServerResponse) => void {
  const now = hooks.now ?? Date.now;
  const inFlight = new Int32Array(config.inFlight);
  const secret = config.signingSecret;

  return (req, res) => {
    const refuse = (refusal: Refusal) => {
      const retryNum = req.headers['x-slack-retry-num'];
      hooks.refused({ status: refusal.status, reason: refusal.message, ...(typeof retryNum === 'string' ? { retryNum } : {}) });
      // The rest of a refused body is not worth reading: answer and close.
      res.writeHead(refusal.status, { connection: 'close' }).end();
      req.resume();
    };
    const signed = typeof req.headers['x-slack-signature'] === 'string';
    const limit = signed ? SLACK_BODY_LIMIT : SSL_CHECK_LIMIT;
    const headerRefusal = signed ? checkHeaders(req, Math.floor(now() / 1000)) : unsignedRefusal(req);
    if (headerRefusal) {
      refuse(headerRefusal);
      return;
    }
    // Unsigned and bigger than an ssl_check: it is the signature that is missing, not room.
    const tooBig = (size: number) =>
      signed ? new Refusal(413, `body of ${size} bytes is over the ${limit}-byte limit`) : new Refusal(401, 'missing or malformed signature');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      refuse(tooBig(declared));
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        refuse(tooBig(size));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => hooks.warn({ err: error.message }, 'Slack request stream failed'));
    req.on('end', () => {
      if (refused) return;
      try {
        answer(req, res, Buffer.concat(chunks, size).toString('utf8'), signed);
      } catch (error) {
        if (error instanceof Refusal) refuse(error);
        else failed(req, res, error);
      }
    });
  };

  /** A bug of ours, not the caller's fault: logged, and never allowed to take the edge thread (and so the bot) down. */
  function failed(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    hooks.warn({ err: error instanceof Error ? error.message : String(error), path: req.url }, 'Slack request could not be handled');
    if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end();
  }

  function answer(req: IncomingMessage, res: ServerResponse, raw: string, signed: boolean): void {
    if (!signed) {
      // Slack's unsigned connectivity check: answered, and nothing else is read from it.
      if (parseForm(raw).ssl_check !== '1') throw new Refusal(401, 'missing or malformed signature');
      res.writeHead(200, { 'content-length': '0' }).end();
      return;
    }
    verifySignature(secret, req, raw);
    const body = parseBody(req.headers['content-type'], raw);

    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    if (Atomics.load(inFlight, 0) >= config.capacity) {
      hooks.turnedAway(Atomics.load(inFlight, 0));
      // A slash command can say why in its ack; for anything else Slack shows its own error.
      if (typeof body.command === 'string') res.writeHead(200, { 'content-type': 'application/json' }).end(BUSY_REPLY);
      else res.writeHead(503, { 'retry-after': '5', 'content-length': '0' }).end();
      return;
    }

    Atomics.add(inFlight, 0, 1);
    res.writeHead(200, { 'content-length': '0' }).end();
    const retryNum = req.headers['x-slack-retry-num'];
    const retryReason = req.headers['x-slack-retry-reason'];
    try {
      hooks.deliver({
        body,
        ...(typeof retryNum === 'string' && /^\d+$/.test(retryNum) ? { retryNum: Number(retryNum) } : {}),
        ...(typeof retryReason === 'string' ? { retryReason } : {}),
      });
    } catch (error) {
      // Never handed on, so never worked off: the slot is given back here.
      Atomics.sub(inFlight, 0, 1);
      throw error;
    }
  }
}

function checkHeaders(req: IncomingMessage, nowSeconds: number): Refusal | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || !/^v0=[0-9a-f]{64}$/.test(signature)) return new Refusal(401, 'missing or malformed signature');
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return new Refusal(401, 'missing or malformed timestamp');
  // Bolt refuses only old timestamps; one from the future is as much a replay risk.
  if (Math.abs(nowSeconds - Number(timestamp)) > WINDOW_SECONDS) return new Refusal(401, 'timestamp outside the 5-minute window');
  return undefined;
}

/** Slack's scheme, as Bolt's verifySlackRequest does it, without loading Bolt into the edge thread. */
function verifySignature(secret: string, req: IncomingMessage, raw: string): void {
  const timestamp = req.headers['x-slack-request-timestamp'] as string;
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest();
  const given = Buffer.from((req.headers['x-slack-signature'] as string).slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Refusal(401, 'signature mismatch');
}

/** Without a signature only Slack's ssl_check may pass, and only as a small form. */
function unsignedRefusal(req: IncomingMessage): Refusal | undefined {
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return new Refusal(401, 'missing or malformed signature');
  return undefined;
}

/**
 * The fields of a slash command that say who asked, where and for what: each one string,
 * as Slack sends them (api.slack.com/interactivity/slash-commands: command, user_id,
 * channel_id, team_id, trigger_id, response_url). A form that repeats one, or lacks
 * `command`, `user_id` or `channel_id`, cannot be answered. `text` is left to the
 * listener, which can say what is wrong with it.
 */
const IDENTIFYING = ['command', 'user_id', 'channel_id', 'team_id', 'trigger_id', 'response_url'] as const;
const REQUIRED = new Set(['command', 'user_id', 'channel_id']);

function singleValued(form: ReturnType<typeof parseForm>): boolean {
  // Not a slash command (Slack's ssl_check, a stray form): nothing to check here.
  if (form.command === undefined) return true;
  return IDENTIFYING.every((name) => (form[name] === undefined ? !REQUIRED.has(name) : typeof form[name] === 'string'));
}

/**
 * Slash commands are a form; interactivity is a form whose `payload` field is JSON;
 * the Events API is JSON — the same rules as Bolt's own receivers.
 */
function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  try {
    const form = contentType?.split(';')[0]?.trim() === 'application/x-www-form-urlencoded' ? parseForm(raw) : undefined;
    const json = form ? (typeof form.payload === 'string' ? form.payload : undefined) : raw;
    // Nothing Slack sends nests this deep; deeper would overflow the stack on the way to Bolt.
    if (json !== undefined && nestsDeeperThan(json)) throw new Refusal(400, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (json === undefined && !singleValued(form!)) throw new Refusal(400, 'slash command with a repeated or missing identifying field');
    const parsed: unknown = json === undefined ? { ...form } : JSON.parse(json);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const problem = envelopeProblem(parsed as Record<string, unknown>);
      if (problem) throw new Refusal(400, `not a Slack payload: ${problem}`);
      return parsed as Record<string, unknown>;
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    // Anything else falls through to the refusal below.
  }
  throw new Refusal(400, 'body is not a Slack form or JSON object');
}

/** What the HTTP edge thread calls (src/http/edge-thread.ts imports this module by the descriptor's `edge`). */
export const edgeIngress = slackIngress satisfies EdgeIngressFactory;
