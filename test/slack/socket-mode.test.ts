import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api.js';
import { FakeSocketMode } from '../fakes/slack-socket-mode.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { type BotProcess, startBotProcess } from './support/bot-process.js';
import { postedPlan, type SlackHarness, startSlackHarness } from './support/harness.js';
import { buttonPayload, postSlack, slashCommandBody, slashCommandPayload } from './support/slack-requests.js';

const APP_TOKEN = 'xapp-1-A0MAESTRO-1-socketmodetesttoken';

let h: SlackHarness;
let socket: FakeSocketMode;
/** The Web API calls the bot made to connect, before the first test's reset. */
let connecting: SlackCall[];
beforeAll(async () => {
  h = await startSlackHarness('socket', { appToken: APP_TOKEN });
  socket = h.socket!;
  connecting = [...h.fake.calls];
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
  h.ports.executions.length = 0;
});

/** Sends `/maestro bump <service>` down the socket; returns the posted plan's ts and the confirmation id its Confirm carries. */
function planFor(service: string): Promise<{ planTs: string; confirmId: string }> {
  return postedPlan(h.fake, () => socket.deliver('slash_commands', slashCommandPayload({ text: `bump ${service}` })));
}

const resultIn = (planTs: string) => (calls: typeof h.fake.calls) =>
  calls.some((c) => c.method === 'chat.postMessage' && c.body.thread_ts === planTs && String(c.body.text).includes('Bumped'));

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('Slack over Socket Mode', () => {
  it('connects to the URL that apps.connections.open gives for the app-level token', () => {
    const opens = connecting.filter((c) => c.method === 'apps.connections.open');
    expect(opens.map((c) => [c.status, c.headers.authorization])).toEqual([[200, `Bearer ${APP_TOKEN}`]]);
    const given = new URL(String(opens[0]!.response!.url));
    expect(socket.open().map((c) => c.path)).toEqual([`${given.pathname}${given.search}`]);
  });

  it('offers no HTTP edge: Slack requests come only over the socket', () => {
    expect(h.slack.edge).toBeUndefined();
  });

  it('acks a slash command on the socket and answers help to its sender through the Web API', async () => {
    const envelope = socket.deliver('slash_commands', slashCommandPayload({ text: 'help', user_id: 'U0CAROL' }));

    await socket.waitFor(() => socket.acksOf(envelope.envelope_id).length === 1);
    expect(socket.acksOf(envelope.envelope_id)[0]!.data).toEqual({ envelope_id: envelope.envelope_id, payload: {} });
    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    const [ephemeral] = h.fake.succeeded('chat.postEphemeral');
    expect(ephemeral!.body).toMatchObject({ channel: 'C0INCIDENT', user: 'U0CAROL' });
    expect(ephemeral!.headers.authorization).toBe('Bearer xoxb-test-token-1234');
  });

  it('acks before the slow part: the ack is on the socket while the reply still waits on Slack', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
    const envelope = socket.deliver('slash_commands', slashCommandPayload({ text: 'status maestro-orchestrator' }));

    await socket.waitFor(() => socket.acksOf(envelope.envelope_id).length === 1, 1000);
    expect(h.fake.succeeded('chat.postMessage')).toHaveLength(0);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    expect(String(h.fake.succeeded('chat.postMessage')[0]!.body.text)).toContain('Status of maestro-orchestrator in prod');
  });

  it('answers a slash command once when Slack re-delivers its envelope (same envelope and trigger_id)', async () => {
    const envelope = socket.deliver('slash_commands', slashCommandPayload({ text: 'status maestro-orchestrator' }));
    socket.redeliver(envelope);

    await socket.waitFor(() => socket.acksOf(envelope.envelope_id).length === 2);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postMessage').length === 1);
    await settle();
    expect(h.fake.chatCalls().map((c) => c.method)).toEqual(['chat.postMessage']);
  });

  it('runs the job once on Confirm pressed over the socket, with the result in the plan\'s thread', async () => {
    const { confirmId, planTs } = await planFor('maestro-orchestrator');
    const press = socket.deliver('interactive', buttonPayload({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs }));

    await socket.waitFor(() => socket.acksOf(press.envelope_id).length === 1);
    await h.fake.waitFor(resultIn(planTs));
    expect(h.ports.executions).toHaveLength(1);
  });

  it('runs the job once when Slack re-delivers the same Confirm', async () => {
    const { confirmId, planTs } = await planFor('notification-agent');
    const press = socket.deliver('interactive', buttonPayload({ actionId: 'plan.confirm', value: confirmId, messageTs: planTs }));
    socket.redeliver(press);

    await socket.waitFor(() => socket.acksOf(press.envelope_id).length === 2);
    await h.fake.waitFor(resultIn(planTs));
    await settle();
    expect(h.ports.executions).toHaveLength(1);
    // The re-delivery is recognised as the same press, not reported as a second one.
    expect(h.fake.succeeded('chat.postEphemeral')).toHaveLength(0);
  });
});

describe('Socket Mode lifecycle', () => {
  it('closes the socket normally on stop(), and does not reconnect', async () => {
    const own = await startSlackHarness('socket-stop', { appToken: APP_TOKEN });
    try {
      const ownSocket = own.socket!;
      expect(ownSocket.open()).toHaveLength(1);

      await own.slack.stop();

      // The handshake is done when stop() resolves; the fake sees the TCP connection end a moment later.
      await ownSocket.waitFor(() => ownSocket.open().length === 0, 1000);
      expect(ownSocket.connections[0]!.closeCode).toBe(1000);
      await settle();
      expect(ownSocket.connections).toHaveLength(1);
      expect(own.fake.succeeded('apps.connections.open')).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it('on stop(), closes the socket before draining, so it acks nothing more, and still answers what it had acked', async () => {
    const own = await startSlackHarness('socket-drain', { appToken: APP_TOKEN });
    try {
      const ownSocket = own.socket!;
      own.fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 });
      const envelope = ownSocket.deliver('slash_commands', slashCommandPayload({ text: 'status maestro-orchestrator' }));
      await ownSocket.waitFor(() => ownSocket.acksOf(envelope.envelope_id).length === 1);

      const stopped = own.slack.stop();
      await ownSocket.waitFor(() => ownSocket.open().length === 0);
      expect(own.fake.succeeded('chat.postMessage')).toHaveLength(0);

      await stopped;
      expect(own.fake.succeeded('chat.postMessage')).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it('reconnects through apps.connections.open when Slack asks it to, and answers on the new connection', async () => {
    const own = await startSlackHarness('socket-refresh', { appToken: APP_TOKEN });
    try {
      const ownSocket = own.socket!;
      ownSocket.askToReconnect();

      // The client waits its ping timeout (5 s) before reconnecting.
      await ownSocket.waitFor(() => ownSocket.connections.length === 2 && ownSocket.open().length === 1, 15_000);
      expect(ownSocket.connections[0]!.closeCode).toBe(1000);
      expect(own.fake.succeeded('apps.connections.open')).toHaveLength(2);
      const envelope = ownSocket.deliver('slash_commands', slashCommandPayload({ text: 'help' }));
      await ownSocket.waitFor(() => ownSocket.acksOf(envelope.envelope_id).some((a) => a.connection === 2));
      await own.fake.waitFor(() => own.fake.succeeded('chat.postEphemeral').length === 1);
    } finally {
      await own.close();
    }
  });
});

describe('npm start with SLACK_APP_TOKEN', () => {
  const redis = testRedis();
  const prefix = testPrefix('slack-socket-process').replaceAll(':', '-');
  let api: FakeSlackApi;
  let endpoint: FakeSocketMode;
  let bot: BotProcess;

  beforeAll(async () => {
    api = await new FakeSlackApi().start();
    endpoint = await new FakeSocketMode().start();
    api.serveSocketMode(endpoint);
    bot = await startBotProcess({ prefix, slackApiUrl: api.url, env: { SLACK_APP_TOKEN: APP_TOKEN } });
  }, 60_000);

  afterAll(async () => {
    if (bot?.process.exitCode === null) bot.process.kill('SIGKILL');
    await endpoint.stop();
    await api.stop();
    await cleanPrefix(redis, prefix);
    await redis.quit();
  });

  it('answers /maestro help sent over its socket through the Web API', async () => {
    expect(endpoint.open()).toHaveLength(1);
    const envelope = endpoint.deliver('slash_commands', slashCommandPayload({ text: 'help' }));

    await endpoint.waitFor(() => endpoint.acksOf(envelope.envelope_id).length === 1);
    await api.waitFor(() => api.succeeded('chat.postEphemeral').length === 1, 20_000);
    expect(String(api.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('maestro commands');
  });

  it('serves no /slack/events on its listener', async () => {
    const response = await postSlack(bot.url, slashCommandBody({ text: 'help' }));
    expect(response.status).toBe(404);
  });

  it('closes the socket normally and exits 0 on SIGTERM', async () => {
    expect((await fetch(`${bot.url}/health/live`)).status).toBe(200);
    bot.process.kill('SIGTERM');
    const [code] = (await once(bot.process, 'exit')) as [number];
    expect(code).toBe(0);
    await endpoint.waitFor(() => endpoint.open().length === 0, 1000);
    expect(endpoint.connections.map((c) => c.closeCode)).toEqual([1000]);
  }, 30_000);
});
