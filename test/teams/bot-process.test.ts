import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/catalog.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { type StartedBot, startBot } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';
import { resolvingEnv } from '../support/resolve-hosts.js';
import { MICROSOFT_HOSTS, serverCertificate } from '../support/test-tls.js';
import { ALICE, APP_ID, BOB, botAddedToTeam, cardAction, channelCommand, postActivity } from './support/activities.js';

/*
 * `npm start` with Teams and the shipped catalog, unchanged: the Agents SDK's real JWT
 * validation against the Bot Framework keys at login.botframework.com and MSAL's token from
 * login.microsoftonline.com (both the fake of test/fakes/microsoft-login.ts, which the bot
 * process resolves and trusts through its env), the fake Bot Connector as serviceUrl, and the
 * sandbox cluster. The test team is the catalog's placeholder sre team, so Alice and Bob, who
 * speak in it, hold sre as the catalog says; nothing in the catalog is replaced.
 */
const catalog = loadCatalog(fileURLToPath(new URL('../../config/catalog.yaml', import.meta.url)));
const SRE_TEAM = catalog.policy.roles.sre!.teams!.teams[0]!;
const INCIDENTS = '19:incidents0000000000000000000000@thread.tacv2';
const RANDOM = '19:random000000000000000000000000000@thread.tacv2';
const OTHER_TENANT = '7e3b9c2a-1f4d-4a6b-9c8e-5d2f1a0b3c47';

const redis = testRedis();
const prefix = testPrefix('teams-process').replaceAll(':', '-');
let fake: FakeBotConnector;
let bot: StartedBot;

/** The activity as sent in the sre team: its channelData names that team. */
function inSreTeam<A extends { channelData: Record<string, unknown> }>(activity: A): A {
  const team = { ...(activity.channelData.team as Record<string, unknown>), id: SRE_TEAM };
  return { ...activity, channelData: { ...activity.channelData, team, ...('teamsTeamId' in activity.channelData ? { teamsTeamId: SRE_TEAM } : {}) } };
}

function send(activity: { serviceUrl: string }) {
  return postActivity(bot.url, activity, fake.token({ audience: APP_ID, serviceUrl: activity.serviceUrl }));
}

/** The first Action.Execute anywhere in a posted card (inside a ShowCard too) whose verb is `verb`. */
function buttonIn(body: unknown, verb: string): { verb: string; data: { value: string } } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const node = body as Record<string, unknown>;
  if (node.type === 'Action.Execute' && node.verb === verb) return node as never;
  for (const value of Object.values(node)) {
    const found = Array.isArray(value) ? value.map((v) => buttonIn(v, verb)).find(Boolean) : buttonIn(value, verb);
    if (found) return found;
  }
  return undefined;
}

beforeAll(async () => {
  fake = await new FakeBotConnector().start();
  fake.channels = [{ id: SRE_TEAM }, { id: INCIDENTS, name: 'Maestro Incidents' }, { id: RANDOM, name: 'Random' }];
  bot = await startBot({
    REDIS_URL,
    REDIS_PREFIX: prefix,
    MAESTRO_SANDBOX_TICK: '50ms',
    PROGRESS_INTERVAL: '100ms',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'test-client-secret',
    ...resolvingEnv(MICROSOFT_HOSTS, fake.login.address, serverCertificate().caFile),
  });
  const install = inSreTeam({ ...botAddedToTeam(fake.url), conversation: { ...botAddedToTeam(fake.url).conversation, id: SRE_TEAM } });
  const installed = await send(install);
  if (installed.status !== 200) throw new Error(`install: ${installed.status} ${installed.body}\n${bot.stderr().slice(-3000)}`);
  await fake.waitFor((calls) => calls.some((c) => c.kind === 'channels'));
}, 60_000);

afterAll(async () => {
  if (bot?.process.exitCode === null) bot.process.kill('SIGKILL');
  await fake?.stop();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('npm start with Teams and the shipped catalog', () => {
  it('rolls prod back from the incident channel: requested by one sre member, approved by another, run as a job, the card PUT, the result in the reply chain', async () => {
    fake.reset();
    const command = inSreTeam(channelCommand(fake.url, 'rollback maestro-orchestrator --reason "error rate"', { channelId: INCIDENTS, from: ALICE }));
    expect((await send(command)).status).toBe(200);
    const thread = `${INCIDENTS};messageid=${command.id}`;
    await fake.waitFor((calls) => calls.some((c) => c.kind === 'send' && buttonIn(c.body, 'approval.approve')), 20_000);
    const approvalCard = fake.activityCalls('send').find((c) => buttonIn(c.body, 'approval.approve'))!;
    expect(approvalCard.conversationId).toBe(thread);
    const approve = buttonIn(approvalCard.body, 'approval.approve')!;

    const press = inSreTeam(cardAction(fake.url, { verb: approve.verb, value: approve.data.value, cardId: approvalCard.id!, threadId: command.id, channelId: INCIDENTS, from: BOB }));
    const answer = await send(press);
    expect(answer.status).toBe(200);
    expect(answer.json?.type).toBe('application/vnd.microsoft.card.adaptive');

    await fake.waitFor((calls) => calls.some((c) => c.kind === 'send' && c.conversationId === thread && JSON.stringify(c.body).includes('Rolled back maestro-orchestrator')), 30_000);
    expect(fake.activityCalls('update').some((c) => c.activityId === approvalCard.id)).toBe(true);
  }, 60_000);

  it('denies the same rollback from another channel, with the rule the catalog states', async () => {
    fake.reset();
    const command = inSreTeam(channelCommand(fake.url, 'rollback maestro-orchestrator --reason "error rate"', { channelId: RANDOM, from: ALICE }));
    await send(command);
    await fake.waitFor((calls) => calls.some((c) => c.kind === 'send'), 20_000);
    const [answer] = fake.activityCalls('send');
    const rule = catalog.policy.rules.find((r) => r.name === 'prod-from-incident-channels')!;
    expect(JSON.stringify(answer!.body)).toContain(rule.description!.replaceAll('"', '\\"'));
    expect(buttonIn(answer!.body, 'approval.approve')).toBeUndefined();
  }, 30_000);

  it('refuses a command from another tenant and posts nothing', async () => {
    fake.reset();
    const command = inSreTeam(channelCommand(fake.url, 'logs maestro-orchestrator', { channelId: INCIDENTS, tenantId: OTHER_TENANT }));
    expect((await send(command)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(fake.activityCalls()).toHaveLength(0);
  });

  it('answers {} with 400 and a forged token with 401 while the signing keys are unreachable', async () => {
    expect((await postActivity(bot.url, {}, fake.token({ audience: APP_ID }))).status).toBe(400);
    fake.login.keysUnreachable = true;
    try {
      const forged = fake.login.forgedToken({ audience: APP_ID, serviceUrl: fake.url, keyId: 'rotated-key' });
      const response = await postActivity(bot.url, channelCommand(fake.url, 'help'), forged);
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ error: 'unauthorized' });
    } finally {
      fake.login.keysUnreachable = false;
    }
  });

  it('shuts down cleanly on SIGTERM', async () => {
    bot.process.kill('SIGTERM');
    const [code] = (await once(bot.process, 'exit')) as [number];
    expect(code).toBe(0);
  }, 30_000);
});
