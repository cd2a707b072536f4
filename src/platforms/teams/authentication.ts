import { type AuthConfiguration, authorizeJWT, getAuthConfigWithDefaults } from '@microsoft/agents-hosting';

/** The caller, as the SDK verified it: the token's claims (`aud`, `serviceurl`, …). */
export type ChannelIdentity = { aud?: string | string[]; serviceurl?: string; [claim: string]: unknown };

export type Authentication = { ok: true; identity: ChannelIdentity } | { ok: false; reason: string };

/** What the SDK's middleware needs of a request: the headers and the method. */
interface AuthenticatedRequest {
  method: string;
  headers: { authorization?: string | string[] | undefined };
  user?: ChannelIdentity;
}

/**
 * Verifies the Bot Framework JWT on an incoming activity with the Agents SDK's own
 * middleware (`authorizeJWT`: signature from the Bot Framework's published keys, RS256 only,
 * audience = our app id, expiry with 5 minutes' tolerance, and — turned on in
 * authConfiguration() — the issuer). Its answer is kept from the caller: it would tell them the
 * SDK's reason (a key-fetch error, say); ours says 401 and logs the reason once.
 *
 * Then the check the SDK leaves off: the token's `serviceurl` claim must be the activity's
 * serviceUrl, so a token captured from one conversation cannot send the bot's replies (and its
 * bearer token) to a URL of the caller's choosing. The SDK's own check compares host names only.
 */
export class TeamsAuthenticator {
  private readonly middleware: ReturnType<typeof authorizeJWT>;

  constructor(settings: AuthConfiguration) {
    this.middleware = authorizeJWT(getAuthConfigWithDefaults(settings));
  }

  async authenticate(headers: AuthenticatedRequest['headers'], serviceUrl: string): Promise<Authentication> {
    if (!hasToken(headers.authorization)) return { ok: false, reason: 'no bearer token' };
    const request: AuthenticatedRequest = { method: 'POST', headers };
    const refusal = await refusalOf(this.middleware, request);
    if (refusal !== undefined) return { ok: false, reason: refusal };
    const identity = request.user;
    if (!identity || typeof identity !== 'object') return { ok: false, reason: 'the token carried no claims' };
    if (typeof identity.serviceurl !== 'string' || !sameServiceUrl(identity.serviceurl, serviceUrl)) {
      return { ok: false, reason: 'the token was issued for another serviceUrl' };
    }
    return { ok: true, identity };
  }
}

/** An empty app id would make the SDK wave every request through outside NODE_ENV=production. */
function hasToken(authorization: string | string[] | undefined): boolean {
  const values = Array.isArray(authorization) ? authorization : [authorization];
  return values.some((value) => typeof value === 'string' && /^bearer\s+\S+$/i.test(value.trim()));
}

/** Runs the SDK's middleware against a response that only records; undefined when it let the request through. */
async function refusalOf(middleware: ReturnType<typeof authorizeJWT>, request: AuthenticatedRequest): Promise<string | undefined> {
  let refusal: string | undefined;
  let passed = false;
  const recorder = {
    status(code: number) {
      refusal = `HTTP ${code}`;
      return recorder;
    },
    send(body: unknown) {
      const detail = typeof body === 'object' && body !== null && 'jwt-auth-error' in body ? String(body['jwt-auth-error']) : undefined;
      refusal = detail ? `${refusal ?? 'refused'}: ${detail}` : refusal;
      return recorder;
    },
  };
  await middleware(request as never, recorder as never, () => {
    passed = true;
  });
  return passed ? undefined : (refusal ?? 'refused');
}

/** Bot Framework service URLs differ only in a trailing slash and the host's case. */
function sameServiceUrl(claim: string, activity: string): boolean {
  const normalise = (url: string) => {
    try {
      const parsed = new URL(url);
      return `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, '')}`;
    } catch {
      return undefined;
    }
  };
  const a = normalise(claim);
  return a !== undefined && a === normalise(activity);
}
