import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationError,
  BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Logger } from 'pino';
import { sdkConfiguration, type TeamsConfig } from './config.js';

/** jsonwebtoken's failures: a token that is malformed, badly signed, expired or not yet valid. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * The SDK's Bot Framework authentication, with one correction: a token signed by a
 * known key id but with the wrong signature (a forgery) makes jsonwebtoken throw an
 * error the CloudAdapter answers with 500. It is an authentication failure and is
 * answered 401 like every other one; nothing behind it runs either way.
 */
export class RefusingAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly log: Logger,
  ) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.refuse(() => this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.refuse(() => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.refuse(() => this.inner.authenticateChannelRequest(authHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient() {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  private async refuse<T>(authenticate: () => Promise<T>): Promise<T> {
    try {
      return await authenticate();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof AuthenticationError) {
        this.log.warn({ reason }, 'refused a Teams request');
        throw error;
      }
      if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
        this.log.warn({ reason }, 'refused a Teams request with an invalid token');
        throw new AuthenticationError(`Unauthorized. ${reason}`, 401);
      }
      throw error;
    }
  }
}

/** Production authentication: the Bot Framework's public cloud, from the app registration. */
export function authenticationFor(config: TeamsConfig): BotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication(sdkConfiguration(config));
}
