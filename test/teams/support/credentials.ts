import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { type BotFrameworkAuthentication, ServiceClientCredentialsFactory } from 'botframework-connector';
import type { FakeBotConnector } from '../../fakes/bot-connector.js';

export const OUTBOUND_TOKEN = 'fake-outbound-bot-token';

/**
 * The bot's outgoing credentials for tests: the same app id, and a fixed bearer
 * token instead of one fetched from Microsoft Entra (which the fake cannot be).
 */
class FakeCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(private readonly appId: string) {
    super();
  }
  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials() {
    return {
      async signRequest<T extends { headers: { set(name: string, value: string): void } }>(webResource: T): Promise<T> {
        webResource.headers.set('authorization', `Bearer ${OUTBOUND_TOKEN}`);
        return webResource;
      },
    };
  }
}

/** The SDK's own configuration-driven authentication, trusting the fake connector's OpenID metadata. */
export function fakeAuthentication(fake: FakeBotConnector, appId: string): BotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: appId,
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: fake.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: fake.openIdMetadataUrl,
      ToChannelFromBotLoginUrl: `${fake.url}/login`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: `${fake.url}/oauth`,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: 'false',
    },
    new FakeCredentialsFactory(appId),
  );
}
