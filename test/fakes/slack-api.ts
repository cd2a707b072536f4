import { waitFor as waitUntil } from '../support/wait-for.js';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake.js';

/** One Web API call as it crossed the wire. */
export interface SlackCall {
  method: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
  /** What the fake answered: 200, the HTTP failure it was told to give, or 400 for an ok:false answer. */
  status: number;
  /** The JSON it answered with (for chat.postMessage, the `ts` the message got). */
  response?: Record<string, unknown>;
}

/** One POST to a response_url (`/hooks/...` on the fake) as it crossed the wire. */
export interface ResponseUrlCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}

/** One POST of a file's bytes to an upload URL the fake handed out (files.getUploadURLExternal). */
export interface FileUpload {
  fileId: string;
  headers: IncomingHttpHeaders;
  content: string;
  at: number;
}

export type Failure = { status: 429; retryAfterSeconds: number } | { status: 500 | 502 | 503 } | { status: 200; error: string };

/** Where the fake's upload URLs point: `/upload/v1/<file id>`. */
const UPLOAD_PATH = '/upload/v1/';

/** Fields Slack sends JSON-encoded inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'files']);

/**
 * A fake Slack Web API (https://slack.com/api/<method>) on a local port. It records
 * every call, answers the chat methods the way Slack does (a ts per message) and
 * can be told to fail the next calls of a method with 429 + Retry-After or a 5xx.
 * It also stands in for https://hooks.slack.com/: POSTs to a response_url under
 * `hooksBase` are recorded in `responses` and answered `ok`.
 */
export class FakeSlackApi extends HttpFake {
  constructor() {
    super('/api/');
  }

  readonly calls: SlackCall[] = [];
  readonly responses: ResponseUrlCall[] = [];
  readonly uploads: FileUpload[] = [];
  /** Status the next upload URL POSTs answer with (then 200 again). */
  private readonly uploadFailures: number[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private seq = 0;
  private socketMode: { connectionUrl(): string } | undefined;
  private readonly userGroups = new Map<string, string[]>();

  /**
   * Answers apps.connections.open with a URL of this Socket Mode endpoint (test/fakes/slack-socket-mode.ts),
   * for an app-level token (`xapp-…`) only, as Slack does.
   */
  serveSocketMode(endpoint: { connectionUrl(): string }): void {
    this.socketMode = endpoint;
  }

  /**
   * Makes `group` a user group with `users` as its members, for usergroups.users.list.
   * Any other group id is answered `no_such_subteam`, as Slack does.
   */
  setUserGroup(group: string, users: string[]): void {
    this.userGroups.set(group, [...users]);
  }

  /** The next `times` calls of `method` fail as given (an HTTP failure, or ok:false with an error code); later ones succeed. */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Successful calls of one method, in order. */
  succeeded(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  /** Calls other than the clients' own: auth.test, and apps.connections.open in Socket Mode. */
  chatCalls(): SlackCall[] {
    return this.calls.filter((c) => c.method !== 'auth.test' && c.method !== 'apps.connections.open');
  }

  /** What to configure as the response_url base (SLACK_RESPONSE_URL_BASE) for this fake. */
  get hooksBase(): string {
    return `${new URL(this.url).origin}/hooks/`;
  }

  /** A response_url as Slack would put in a request, pointing at this fake. */
  hookUrl(path: string): string {
    return `${this.hooksBase}${path}`;
  }

  /** The next `times` POSTs to an upload URL answer `status`. */
  failNextUpload(status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.uploadFailures.push(status);
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.uploads.length = 0;
    this.uploadFailures.length = 0;
    this.failures.clear();
  }

  async waitFor(predicate: (calls: SlackCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    await waitUntil(() => predicate(this.calls), { timeoutMs, what: 'a fake Slack condition', seen: () => `calls: ${this.calls.map((c) => `${c.method}/${c.status}`).join(', ')}` });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && req.url?.startsWith('/hooks/')) {
      this.responses.push({ path: req.url, headers: req.headers, body: parseBody(raw, req.headers['content-type'] ?? ''), at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (req.method === 'POST' && req.url?.startsWith(UPLOAD_PATH)) {
      const status = this.uploadFailures.shift() ?? 200;
      if (status === 200) this.uploads.push({ fileId: req.url.slice(UPLOAD_PATH.length), headers: req.headers, content: raw, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' });
      // Slack's upload service answers a plain "OK - <length>" (docs.slack.dev, files.getUploadURLExternal usage info).
      res.end(status === 200 ? `OK - ${Buffer.byteLength(raw)}` : 'upload failed');
      return;
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    const failure = this.failures.get(method)?.shift();
    const status = failure ? (failure.status === 200 ? 400 : failure.status) : 200;
    const call: SlackCall = { method, headers: req.headers, body, at: Date.now(), status };
    this.calls.push(call);
    if (failure?.status === 429) {
      res.writeHead(429, { 'retry-after': String(failure.retryAfterSeconds), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure && 'error' in failure) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'text/plain' });
      res.end('upstream trouble');
      return;
    }
    call.response = this.answer(method, body, req.headers.authorization);
    if (call.response.ok === false) call.status = 400;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(call.response));
  }

  private answer(method: string, body: Record<string, unknown>, authorization: string | undefined): Record<string, unknown> {
    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    if (method === 'apps.connections.open' && this.socketMode) {
      if (!authorization) return { ok: false, error: 'not_authed' };
      if (!authorization.startsWith('Bearer xapp-')) return { ok: false, error: 'not_allowed_token_type' };
      return { ok: true, url: this.socketMode.connectionUrl() };
    }
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'maestro', team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage':
        return { ok: true, channel, ts: this.nextTs(), message: { text: body.text } };
      case 'chat.update':
        return { ok: true, channel, ts: body.ts, text: body.text };
      // https://docs.slack.dev/reference/methods/files.getUploadURLExternal: `{ ok, upload_url, file_id }`.
      case 'files.getUploadURLExternal': {
        const fileId = `F${String(++this.seq).padStart(10, '0')}`;
        return { ok: true, upload_url: `${new URL(this.url).origin}${UPLOAD_PATH}${fileId}`, file_id: fileId };
      }
      // https://docs.slack.dev/reference/methods/files.completeUploadExternal: `{ ok, files: [{ id, title, … }] }`.
      case 'files.completeUploadExternal': {
        const files = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as { id: string; title?: string }[];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      // https://api.slack.com/methods/usergroups.users.list: `{ ok, users: [...] }`, or ok:false with no_such_subteam
      // (response examples and errors as slack-ruby/slack-api-ref:methods/usergroups/usergroups.users.list.json records them).
      case 'usergroups.users.list': {
        const users = typeof body.usergroup === 'string' ? this.userGroups.get(body.usergroup) : undefined;
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: true };
    }
  }

  private nextTs(): string {
    this.seq += 1;
    return `1700000000.${String(this.seq).padStart(6, '0')}`;
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) body[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  return body;
}
