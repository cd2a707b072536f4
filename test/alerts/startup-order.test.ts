import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, finishHttpApp, listen } from '../../src/http/server.js';
import type { ChatPort } from '../../src/core/chat-port.js';
import { Metrics } from '../../src/core/metrics.js';
import type { Platform } from '../../src/core/request.js';
import { mountWebhooks } from '../../src/http/webhooks/index.js';
import { type Incidents, startIncidents } from '../../src/incidents/index.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { ALERTMANAGER_TOKEN, catalog } from './support/harness.js';

const redis = testRedis();
const prefix = testPrefix('alerts-startup');
const chats = new Map<Platform, ChatPort>();
let incidents: Incidents;
let server: Server;
let url: string;

beforeAll(async () => {
  const log = pino({ level: 'silent' });
  // As in main.ts: the incidents module is built before the chat adapters connect.
  incidents = startIncidents({ connection: redis, prefix, catalog, chats: (platform) => chats.get(platform), log, cardIntervalMs: 50, runWorker: true });
  const app = createHttpApp({ metrics: new Metrics({ defaultMetrics: false }), readiness: [], log });
  mountWebhooks({ app, queue: incidents.queue, log, alertmanager: { token: ALERTMANAGER_TOKEN }, pagerdutySecrets: [] });
  finishHttpApp(app, log);
  ({ server, url } = await listen(app, 0, '127.0.0.1'));
});

afterAll(async () => {
  await incidents.close();
  await new Promise((resolve) => server.close(resolve));
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

describe('alerts that arrive while the bot is starting', () => {
  it('wait for start() and then post their card, instead of being handled with no chat to post in', async () => {
    const response = await fetch(`${url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
      body: JSON.stringify(highErrorRate('{}/{}:{alertname="MaestroHighErrorRate", startup="1"}', ['f00000000000000s'])),
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const slack = new RecordingChat('slack');
    chats.set('slack', slack);
    incidents.start();
    await incidents.settled();
    expect(slack.calls.filter((c) => c.kind === 'post').map((c) => JSON.stringify(c.message))).toEqual([expect.stringContaining('MaestroHighErrorRate')]);
  });
});
