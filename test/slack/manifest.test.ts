import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { SLACK_EVENTS_PATH } from '../../src/platforms/slack/index.js';

const text = readFileSync(fileURLToPath(new URL('../../manifests/slack-app.yaml', import.meta.url)), 'utf8');

// The fields Slack requires to create an app from a manifest, and their limits
// (node-slack-sdk packages/web-api/src/types/request/manifest.ts, Slack's manifest reference).
const Manifest = z.object({
  display_information: z.object({ name: z.string().min(1).max(35), description: z.string().max(140).optional() }),
  features: z.object({
    bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean().optional() }),
    slash_commands: z
      .array(
        z.object({
          command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
          description: z.string().min(1).max(2000),
          url: z.url(),
          usage_hint: z.string().max(1000).optional(),
          should_escape: z.boolean().optional(),
        }),
      )
      .min(1),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).min(1) }) }),
  settings: z.object({
    interactivity: z.object({ is_enabled: z.literal(true), request_url: z.url() }),
    event_subscriptions: z.object({ request_url: z.url(), bot_events: z.array(z.string()).min(1) }).optional(),
    socket_mode_enabled: z.boolean().optional(),
  }),
});

describe('manifests/slack-app.yaml', () => {
  const manifest = Manifest.parse(parse(text));

  it('is valid YAML with every field Slack requires', () => {
    expect(manifest.display_information.name).toBe('Maestro');
  });

  it('declares /maestro with a usage hint, sent to /slack/events', () => {
    const [command] = manifest.features.slash_commands;
    expect(command!.command).toBe('/maestro');
    expect(command!.usage_hint).toContain('help');
    expect(new URL(command!.url).pathname).toBe(SLACK_EVENTS_PATH);
  });

  it('sends button presses to /slack/events', () => {
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_EVENTS_PATH);
  });

  it('asks only for the bot scopes the adapter uses', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['chat:write', 'chat:write.public', 'commands', 'files:write', 'usergroups:read']);
  });

  it('subscribes to no events, since the adapter handles none', () => {
    expect(manifest.settings.event_subscriptions).toBeUndefined();
  });
});
