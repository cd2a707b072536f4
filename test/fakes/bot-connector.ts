import { waitFor as waitUntil } from '../support/wait-for.js';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake.js';
import { FakeMicrosoftLogin } from './microsoft-login.js';

/** One call to the connector as it crossed the wire. */
export interface ConnectorCall {
  method: string;
  path: string;
  /** The decoded conversation id of a v3/conversations route (with any `;messageid=`). */
  conversationId?: string;
  activityId?: string;
  kind: 'send' | 'reply' | 'update' | 'channels' | 'other';
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  status: number;
  at: number;
  /** The id the fake gave the activity it accepted. */
  id?: string;
}

export interface ConnectorFailure {
  status: 412 | 429 | 500 | 502 | 503 | 504 | 403;
  retryAfterSeconds?: number;
}

/**
 * A fake Bot Connector service on a local port. Activities the tests send carry its
 * URL as serviceUrl, so the SDK's connector client calls it for every send, reply
 * and update; it records each call, answers with activity ids, and can be told to
 * refuse the next calls with 429 + Retry-After or another status. Beside it runs Microsoft's
 * sign-in (`login`): the Bot Framework keys its `token()` signs channel tokens with, and the
 * Entra token endpoint the bot's outgoing calls get their bearer token from.
 */
export class FakeBotConnector extends HttpFake {
  readonly calls: ConnectorCall[] = [];
  readonly login = new FakeMicrosoftLogin();
  /** Channels listed for a team (GET v3/teams/{id}/conversations). */
  channels: Array<{ id: string; name?: string }> = [];
  private readonly failures = new Map<ConnectorCall['kind'], ConnectorFailure[]>();
  private seq = 0;

  override async start(): Promise<this> {
    await this.login.start();
    return super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.login.stop();
  }

  /** The bearer token the bot's connector calls carry: the one the fake Entra issued it. */
  get outboundToken(): string {
    return this.login.accessToken;
  }

  /** A channel token as the Bot Framework signs it, for `audience` and (by default) this connector's URL. */
  token(claims: { audience: string; serviceUrl?: string; issuer?: string; expiresInSeconds?: number }): string {
    return this.login.token({ ...claims, serviceUrl: claims.serviceUrl ?? this.url });
  }

  /** A token signed with a key the Bot Framework never published, under the published key id. */
  forgedToken(audience: string): string {
    return this.login.forgedToken({ audience, serviceUrl: this.url });
  }

  /** The next `times` calls of `kind` fail as given; later ones succeed. */
  failNext(kind: ConnectorCall['kind'], failure: ConnectorFailure, times = 1): void {
    const queue = this.failures.get(kind) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(kind, queue);
  }

  /** Accepted calls that carry an activity (sends, replies, updates), in order. */
  activityCalls(kind?: 'send' | 'reply' | 'update'): ConnectorCall[] {
    return this.calls.filter((c) => (kind ? c.kind === kind : ['send', 'reply', 'update'].includes(c.kind)) && c.status === 200);
  }

  reset(): void {
    this.calls.length = 0;
    this.login.calls.length = 0;
    this.failures.clear();
  }

  async waitFor(predicate: (calls: ConnectorCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    await waitUntil(() => predicate(this.calls), { timeoutMs, what: 'a fake connector condition', seen: () => `calls: ${this.calls.map((c) => `${c.method} ${c.kind}/${c.status}`).join(', ')}` });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0] ?? '';
    const method = req.method ?? 'GET';
    const route = classify(method, path);
    const call: ConnectorCall = { method, path, ...route, headers: req.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, status: 200, at: Date.now() };
    this.calls.push(call);
    const failure = this.failures.get(call.kind)?.shift();
    if (failure) {
      call.status = failure.status;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      res.writeHead(failure.status, headers);
      res.end(JSON.stringify({ error: { code: failure.status === 429 ? 'Throttled' : 'ServiceError', message: 'fake connector failure' } }));
      return;
    }
    const answer = this.answer(call);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
    call.status = answer.status ?? 200;
    res.end(JSON.stringify(answer.body));
  }

  private answer(call: ConnectorCall): { status?: number; body: unknown } {
    switch (call.kind) {
      case 'send':
      case 'reply':
        this.seq += 1;
        call.id = `1700000000${String(this.seq).padStart(3, '0')}`;
        return { body: { id: call.id } };
      case 'update':
        call.id = call.activityId;
        return { body: { id: call.activityId } };
      case 'channels':
        return { body: { conversations: this.channels } };
      default:
        return { status: 404, body: { error: { code: 'NotFound', message: `fake connector has no ${call.method} ${call.path}` } } };
    }
  }
}

function classify(method: string, path: string): Pick<ConnectorCall, 'kind' | 'conversationId' | 'activityId'> {
  if (method === 'GET' && /^\/v3\/teams\/[^/]+\/conversations$/.test(path)) return { kind: 'channels' };
  const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
  if (!match) return { kind: 'other' };
  const conversationId = decodeURIComponent(match[1]!);
  const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
  if (method === 'PUT' && activityId) return { kind: 'update', conversationId, activityId };
  if (method === 'POST') return { kind: activityId ? 'reply' : 'send', conversationId, activityId };
  return { kind: 'other', conversationId, activityId };
}
