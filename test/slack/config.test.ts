import { describe, expect, it } from 'vitest';
import { SlackEnvSchema, slackConfigFrom } from '../../src/platforms/slack/index.js';
import { ConfigError } from '../../src/config/env.js';

const token = 'xoxb-1111-2222-abcd';
const secret = 'e3b0c44298fc1c149afbf4c8996fb924';

describe('Slack configuration', () => {
  it('is off when neither the bot token nor the signing secret is set', () => {
    expect(slackConfigFrom(SlackEnvSchema.parse({}))).toBeUndefined();
  });

  it('is on over HTTP when both are set', () => {
    expect(slackConfigFrom(SlackEnvSchema.parse({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret }))).toEqual({
      botToken: token,
      signingSecret: secret,
      appToken: undefined,
      apiUrl: undefined,
    });
  });

  it('uses Socket Mode when an app-level token is also set', () => {
    const config = slackConfigFrom(SlackEnvSchema.parse({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' }));
    expect(config?.appToken).toBe('xapp-1-A1-2-abc');
  });

  it('refuses half a configuration, saying what is missing', () => {
    expect(() => slackConfigFrom(SlackEnvSchema.parse({ SLACK_BOT_TOKEN: token }))).toThrow(ConfigError);
    expect(() => slackConfigFrom(SlackEnvSchema.parse({ SLACK_BOT_TOKEN: token }))).toThrow(/SLACK_SIGNING_SECRET is not/);
  });

  it('refuses a response_url base that does not end in /, which would also admit /hooks-elsewhere/ under /hooks', () => {
    expect(SlackEnvSchema.safeParse({ SLACK_RESPONSE_URL_BASE: 'http://127.0.0.1:9/hooks' }).success).toBe(false);
    expect(SlackEnvSchema.parse({ SLACK_RESPONSE_URL_BASE: 'http://127.0.0.1:9/hooks/' }).SLACK_RESPONSE_URL_BASE).toBe('http://127.0.0.1:9/hooks/');
  });

  it('refuses a user token where the bot token belongs', () => {
    expect(SlackEnvSchema.safeParse({ SLACK_BOT_TOKEN: 'xoxp-123' }).success).toBe(false);
  });
});
