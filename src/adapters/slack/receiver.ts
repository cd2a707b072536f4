import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { type App, type Receiver, verifySlackRequest } from '@slack/bolt';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { AfterAck } from '../http/after-ack.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own payloads are a few kB; anything near this is not from Slack. */
export const SLACK_BODY_LIMIT = 64 * 1024;
const WINDOW_SECONDS = 5 * 60;
/** Slack's unsigned connectivity probe is `ssl_check=1&token=…`: tiny. */
const SSL_CHECK_LIMIT = 512;

export interface SlackReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** Where Bolt's processing of each acknowledged request waits its turn. */
  afterAck: AfterAck;
  now?: () => number;
}

type Body = Record<string, unknown>;

/** A refusal: the status, and the reason we log (never shown to the caller). */
class Refusal extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Bolt's receiver on /slack/events, built to answer Slack first and work second.
 *
 * Bolt's own receivers hand the request to the listener and answer when it calls
 * ack(), so every ack waits behind Bolt's middleware chain and whatever else is on
 * the event loop. Here the request is verified (signature in constant time, the
 * 5-minute window both ways, body limit) and answered with 200 in the same turn
 * it arrives; only then does Bolt see it, from the after-ack queue. The price:
 * a listener cannot put a body in its ack (a modal's validation errors, an
 * options list). This app's listeners ack with nothing, and one that tries is
 * logged, so the day someone adds a modal it shows up at once.
 *
 * A refused request (401 forged/stale, 413 oversized, 400 malformed) reaches
 * neither Bolt nor Redis.
 */
export class FastAckReceiver implements Receiver {
  private bolt: App | undefined;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: SlackReceiverOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log.child({ component: 'slack-receiver' });
  }

  init(app: App): void {
    this.bolt = app;
  }

  /** The listener is the bot's one HTTP server, started and stopped by main.ts. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  mount(app: Express): void {
    app.post(SLACK_EVENTS_PATH, (req, res) => this.receive(req, res));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const retryNum = req.headers['x-slack-retry-num'];
    const refuse = (refusal: Refusal) => {
      this.log.warn({ reason: refusal.message, status: refusal.status, retryNum }, 'refused a Slack request');
      // The rest of a refused body is not worth reading: answer and close.
      res.writeHead(refusal.status, { connection: 'close' }).end();
      req.resume();
    };
    const signed = typeof req.headers['x-slack-signature'] === 'string';
    const limit = signed ? SLACK_BODY_LIMIT : SSL_CHECK_LIMIT;
    const headerRefusal = signed ? this.checkHeaders(req) : unsignedRefusal(req);
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
    req.on('end', () => {
      if (refused) return;
      try {
        this.answer(req, res, Buffer.concat(chunks, size).toString('utf8'), signed);
      } catch (error) {
        if (error instanceof Refusal) refuse(error);
        else throw error;
      }
    });
    req.on('error', (error) => this.log.warn({ err: error }, 'Slack request stream failed'));
  }

  private answer(req: IncomingMessage, res: ServerResponse, raw: string, signed: boolean): void {
    if (!signed) {
      // Slack's unsigned connectivity check: answered, nothing else is read from it.
      if (parseForm(raw).ssl_check !== '1') throw new Refusal(401, 'missing or malformed signature');
      res.writeHead(200).end();
      return;
    }
    this.verify(req, raw);
    const body = parseBody(req.headers['content-type'], raw);

    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    if (this.options.afterAck.full) {
      this.log.warn({ waiting: this.options.afterAck.waiting }, 'Slack request turned away: too much acknowledged work is waiting');
      // A slash command can say why in its ack; for anything else Slack shows its own error.
      if (typeof body.command === 'string') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(BUSY_REPLY));
      } else {
        res.writeHead(503, { 'retry-after': '5' }).end();
      }
      return;
    }

    res.writeHead(200, { 'content-length': '0' }).end();
    const retryNumHeader = req.headers['x-slack-retry-num'];
    const retryReason = req.headers['x-slack-retry-reason'];
    this.options.afterAck.run(() => this.dispatch(body, retryNumHeader, retryReason));
  }

  private async dispatch(body: Body, retryNum: string | string[] | undefined, retryReason: string | string[] | undefined): Promise<void> {
    if (!this.bolt) throw new Error('FastAckReceiver used before Bolt called init()');
    await this.bolt.processEvent({
      body,
      ack: async (response?: unknown) => {
        if (response !== undefined) this.log.warn({ type: body.type }, 'a Slack listener acked with a body, but the request was already answered: it was dropped');
      },
      ...(typeof retryNum === 'string' && /^\d+$/.test(retryNum) ? { retryNum: Number(retryNum) } : {}),
      ...(typeof retryReason === 'string' ? { retryReason } : {}),
    });
  }

  private checkHeaders(req: IncomingMessage): Refusal | undefined {
    const signature = req.headers['x-slack-signature'];
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (typeof signature !== 'string' || !signature.startsWith('v0=')) return new Refusal(401, 'missing or malformed signature');
    if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return new Refusal(401, 'missing or malformed timestamp');
    // Bolt refuses only old timestamps; one from the future is as much a replay risk.
    if (Math.abs(Math.floor(this.now() / 1000) - Number(timestamp)) > WINDOW_SECONDS) return new Refusal(401, 'timestamp outside the 5-minute window');
    return undefined;
  }

  private verify(req: IncomingMessage, raw: string): void {
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': req.headers['x-slack-signature'] as string,
          'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
        },
        nowMilliseconds: this.now(),
      });
    } catch (error) {
      throw new Refusal(401, (error as Error).message);
    }
  }
}

const BUSY_REPLY = {
  response_type: 'ephemeral',
  text: 'maestro-bot is working through a burst of requests and did not take this one; nothing was run. Please try again in a moment.',
};

/** Without a signature only Slack's ssl_check may pass, and only as a small form. */
function unsignedRefusal(req: IncomingMessage): Refusal | undefined {
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return new Refusal(401, 'missing or malformed signature');
  return undefined;
}

/**
 * Slash commands are a form; interactivity is a form whose `payload` field is JSON;
 * the Events API is JSON — the same rules as Bolt's own receivers.
 */
function parseBody(contentType: string | undefined, raw: string): Body {
  try {
    if (contentType?.split(';')[0]?.trim() === 'application/x-www-form-urlencoded') {
      const form = parseForm(raw);
      const payload = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
      if (payload && typeof payload === 'object' && !Array.isArray(payload)) return payload as Body;
    } else {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Body;
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new Refusal(400, 'body is not a Slack form or JSON object');
}
