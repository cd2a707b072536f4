import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { resolveHostsTo } from '../support/resolve-hosts.js';
import { MICROSOFT_HOSTS, serverCertificate } from '../support/test-tls.js';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface LoginCall {
  host: string;
  method: string;
  path: string;
  at: number;
}

/**
 * Microsoft's sign-in hosts, faked at their real names over HTTPS on port 443 of a loopback
 * address of this fake's own (the test process resolves the names to it; see
 * test/support/resolve-hosts.ts). The Agents SDK fetches the Bot Framework's signing keys from
 * a fixed https://login.botframework.com/v1/.well-known/keys, and MSAL asks
 * https://login.microsoftonline.com/<tenant> for the bot's outgoing token; both are served here:
 * - the Bot Framework's OpenID metadata and JWKS (one RSA key, published with a key id unique to
 *   this fake so that the SDK's process-wide key cache never mixes two fakes' keys), and
 *   `token()` signs channel tokens as the Bot Framework does;
 * - Entra's instance discovery, tenant OpenID metadata and client-credentials token endpoint.
 */
export class FakeMicrosoftLogin {
  readonly calls: LoginCall[] = [];
  /** The access token the token endpoint hands out: the connector fake sees it on every call. */
  readonly accessToken = `fake-entra-token-${randomBytes(6).toString('hex')}`;
  readonly keyId = `fake-bf-key-${randomBytes(6).toString('hex')}`;
  /** When true, the signing keys cannot be fetched (the connection is cut). */
  keysUnreachable = false;
  address = '';
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server: Server | undefined;
  private unresolve: (() => void) | undefined;

  async start(): Promise<this> {
    const { key, cert } = serverCertificate();
    // Port 443 is the one the SDK's fixed URLs name; each fake takes a loopback address of its own.
    for (let attempt = 0; ; attempt++) {
      const address = `127.${1 + (randomBytes(1)[0]! % 250)}.${randomBytes(1)[0]!}.${1 + (randomBytes(1)[0]! % 250)}`;
      const server = createServer({ key, cert }, (req, res) => void this.handle(req, res));
      server.listen(443, address);
      try {
        await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
        this.server = server;
        this.address = address;
        break;
      } catch (error) {
        server.close();
        if ((error as NodeJS.ErrnoException).code === 'EACCES') throw new Error('the Microsoft login fake needs port 443 (run the tests as root, as CI does)');
        if (attempt >= 5) throw error;
      }
    }
    this.unresolve = resolveHostsTo(MICROSOFT_HOSTS, this.address);
    return this;
  }

  async stop(): Promise<void> {
    this.unresolve?.();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** A channel token as the Bot Framework signs it, for `audience` and the activity's serviceUrl. */
  token(
    claims: { audience: string; serviceUrl: string; issuer?: string; expiresInSeconds?: number; keyId?: string; algorithm?: 'RS256' | 'none' },
    key: KeyObject = this.key.privateKey,
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: claims.issuer ?? BOT_FRAMEWORK_ISSUER,
      aud: claims.audience,
      serviceurl: claims.serviceUrl,
      nbf: now - 10,
      iat: now - 10,
      exp: now + (claims.expiresInSeconds ?? 3600),
    };
    const algorithm = claims.algorithm ?? 'RS256';
    const head = base64url(JSON.stringify({ alg: algorithm, typ: 'JWT', kid: claims.keyId ?? this.keyId }));
    const body = base64url(JSON.stringify(payload));
    if (algorithm === 'none') return `${head}.${body}.`;
    const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key).toString('base64url');
    return `${head}.${body}.${signature}`;
  }

  /** A token signed with a key the Bot Framework never published, under the published key id (or `keyId`). */
  forgedToken(claims: { audience: string; serviceUrl: string; keyId?: string }): string {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    return this.token(claims, createPrivateKey(other.export({ format: 'pem', type: 'pkcs8' })));
  }

  /** Requests for the Bot Framework's signing keys. */
  keyFetches(): LoginCall[] {
    return this.calls.filter((c) => c.host === 'login.botframework.com' && c.path.endsWith('/keys'));
  }

  tokenRequests(): LoginCall[] {
    return this.calls.filter((c) => c.host === 'login.microsoftonline.com' && c.path.endsWith('/oauth2/v2.0/token'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req) {
      // The token request's form body carries the client secret; nothing here needs it.
    }
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', `https://${host}`);
    this.calls.push({ host, method: req.method ?? 'GET', path: url.pathname, at: Date.now() });
    const answer = host === 'login.botframework.com' ? this.botFramework(url) : this.entra(url, req.method ?? 'GET');
    if (answer === 'cut') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  private botFramework(url: URL): { status?: number; body: unknown } | 'cut' {
    if (url.pathname === '/v1/.well-known/keys') {
      if (this.keysUnreachable) return 'cut';
      return { body: this.jwks() };
    }
    if (url.pathname === '/v1/.well-known/openidconfiguration') {
      return { body: { issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: 'https://login.botframework.com/v1/.well-known/keys', id_token_signing_alg_values_supported: ['RS256'] } };
    }
    return { status: 404, body: { error: 'not_found' } };
  }

  private jwks(): unknown {
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', use: 'sig', kid: this.keyId, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] };
  }

  /** Entra as MSAL's client-credentials flow sees it (learn.microsoft.com: v2 OAuth client credentials, OpenID discovery). */
  private entra(url: URL, method: string): { status?: number; body: unknown } {
    const base = 'https://login.microsoftonline.com';
    if (url.pathname === '/common/discovery/instance') {
      return {
        body: {
          tenant_discovery_endpoint: `${base}/{tenant}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] }],
        },
      };
    }
    const openid = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (openid) {
      const tenant = openid[1]!;
      return {
        body: {
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          issuer: `${base}/${tenant}/v2.0`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        },
      };
    }
    // Entra's signing keys: the same key, so that a token naming another issuer is refused by the issuer check itself.
    if (/^\/[^/]+\/discovery\/v2\.0\/keys$/.test(url.pathname)) return { body: this.jwks() };
    if (method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      return { body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.accessToken } };
    }
    return { status: 404, body: { error: 'not_found', error_description: `fake Entra has no ${method} ${url.pathname}` } };
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
