import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, finishHttpApp, listen } from '../../src/http/server.js';
import { Metrics } from '../../src/core/metrics.js';
import { mountWebhooks } from '../../src/http/webhooks/index.js';
import { type Incidents, startIncidents } from '../../src/incidents/index.js';
import { botAddedToTeam, TEAM_ID } from '../teams/support/activities.js';
import { startTeamsHarness, type TeamsHarness } from '../teams/support/harness.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { ALERTMANAGER_TOKEN, catalog } from './support/harness.js';
import { cleanPrefix } from '../support/redis.js';

/**
 * Incident cards through the real Teams adapter: the card and its edits and thread
 * replies reach a fake Bot Connector, proactively, in the channel the catalog names.
 */
const INCIDENTS = '19:incidents0000000000000000000000@thread.tacv2';
const GROUP = '{}/{}:{alertname="MaestroHighErrorRate", teams="1"}';

let h: TeamsHarness;
let incidents: Incidents;
let server: Server;
let url: string;
const prefix = () => `${h.prefix}-incidents`;

beforeAll(async () => {
  h = await startTeamsHarness('alert-cards', { ports: {} });
  h.fake.channels = [{ id: TEAM_ID }, { id: INCIDENTS, name: 'Maestro Incidents' }];
  expect((await h.send(botAddedToTeam(h.fake.url))).status).toBe(200);
  const log = pino({ level: 'silent' });
  const teams = h.workerChat();
  incidents = startIncidents({
    connection: h.redis,
    prefix: prefix(),
    catalog,
    chats: (platform) => (platform === 'teams' ? teams : undefined),
    log,
    cardIntervalMs: 100,
    runWorker: true,
  });
  const app = createHttpApp({ metrics: new Metrics({ defaultMetrics: false }), readiness: [], log });
  mountWebhooks({ app, queue: incidents.queue, log, alertmanager: { token: ALERTMANAGER_TOKEN }, pagerdutySecrets: [] });
  incidents.start();
  finishHttpApp(app, log);
  ({ server, url } = await listen(app, 0, '127.0.0.1'));
  h.fake.reset();
});

afterAll(async () => {
  await incidents.close();
  await new Promise((resolve) => server.close(resolve));
  await cleanPrefix(h.redis, prefix());
  await h.close();
});

function notify(body: unknown): Promise<Response> {
  return fetch(`${url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
    body: JSON.stringify(body),
  });
}

describe('incident cards in Teams', () => {
  it('posts the card in the catalog channel, then edits it and replies in its thread when a new alert joins', async () => {
    expect((await notify(highErrorRate(GROUP, ['f0000000000000a1']))).status).toBe(200);
    await incidents.settled();
    const sends = h.fake.activityCalls('send');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.conversationId).toBe(INCIDENTS);
    const card = JSON.stringify(sends[0]!.body);
    expect(card).toContain('MaestroHighErrorRate');
    expect(card).toContain('Action.Execute');
    expect(card).toContain('alert.action');

    h.fake.reset();
    expect((await notify(highErrorRate(GROUP, ['f0000000000000a1', 'f0000000000000a2']))).status).toBe(200);
    await incidents.settled();
    const updates = h.fake.activityCalls('update');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.every((u) => u.conversationId === INCIDENTS)).toBe(true);
    const replies = h.fake.activityCalls('send');
    expect(replies).toHaveLength(1);
    // The reply chain of the card: the channel id with the card's activity id.
    expect(replies[0]!.conversationId).toBe(`${INCIDENTS};messageid=${updates[0]!.activityId}`);
  });
});
