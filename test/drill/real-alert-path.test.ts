import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { rulesFile } from '../../src/config/alert-rules.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { slackButtons, slackPress } from '../alerts/support/presses.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api.js';
import { type BotProcess, startBotProcess } from '../slack/support/bot-process.js';
import { postSlack, slashCommandBody } from '../slack/support/slack-requests.js';
import { botAddedToTeam, TEAM_ID } from '../teams/support/activities.js';
import { shippedWith } from '../support/catalog-fixtures.js';
import { freePort, hasPrometheus, type RealPrometheus, startPrometheus } from '../support/real-prometheus.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

/**
 * The first half of the drill on real parts: the bot's built-in sandbox runs the bad
 * release, Debian's Prometheus scrapes its /metrics and evaluates the catalog's rules,
 * Debian's Alertmanager routes MaestroHighErrorRate with the shipped receiver.yaml to
 * the bot's webhook (bearer token), and an incident card lands in Slack. Time is
 * compressed only through configuration: the catalog's defaults.range and the alert's
 * `for`, Prometheus's intervals, the route's group_wait.
 */

const hasAlertmanager = spawnSync('prometheus-alertmanager', ['--version']).status === 0;

const TOKEN = 'drill-token-0123456789abcdef';
const redis = testRedis();
const prefix = testPrefix('drill').replaceAll(':', '-');

// CI budget: 60 s for the alert to reach Slack; it takes about 15 s on two cores.
describe.runIf((hasPrometheus && hasAlertmanager) || process.env.CI)('an alert from a real Prometheus through a real Alertmanager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-drill-'));
  let fake: FakeSlackApi;
  let connector: FakeBotConnector;
  // The channel the shipped catalog names for maestro-orchestrator's incidents in Teams.
  const INCIDENTS = '19:incidents0000000000000000000000@thread.tacv2';
  let bot: BotProcess;
  let prometheus: RealPrometheus | undefined;
  let alertmanager: ReturnType<typeof spawn> | undefined;

  beforeAll(async () => {
    const catalogText = shippedWith((raw) => {
      // Verification reads rates over defaults.range from its first check (a tenth of the
      // window in), so the range is kept no longer than that interval: a longer one reads
      // the bad release's own samples after the rollback (see the report on issue 19).
      raw.defaults.range = '4s';
      raw.alerts.MaestroHighErrorRate.for = '5s';
    });
    const catalogFile = join(dir, 'catalog.yaml');
    writeFileSync(catalogFile, catalogText);
    writeFileSync(join(dir, 'rules.yaml'), rulesFile(parseCatalog(catalogText)));
    writeFileSync(join(dir, 'token'), TOKEN);

    fake = await new FakeSlackApi().start();
    fake.setUserGroup('S0MAESTROSRE', ['U0SAM', 'U0SKY']);
    connector = await new FakeBotConnector().start();
    connector.channels = [{ id: TEAM_ID }, { id: INCIDENTS, name: 'Maestro Incidents' }];
    const promPort = await freePort();
    bot = await startBotProcess({
      prefix,
      slackApiUrl: fake.url,
      env: {
        MAESTRO_SANDBOX: '1',
        MAESTRO_CATALOG: catalogFile,
        ALERTMANAGER_TOKEN: TOKEN,
        // Verification reads the real Prometheus, not the sandbox's own answers; its window is the runbook's 10m compressed.
        PROMETHEUS_URL: `http://127.0.0.1:${promPort}`,
        MAESTRO_VERIFY_WINDOW: '40s',
        SLACK_RESPONSE_URL_BASE: fake.hooksBase,
        PROGRESS_INTERVAL: '500ms',
        // Teams without an app id: the bot then sends to the fake connector unsigned (development mode).
        TEAMS_ALLOW_UNAUTHENTICATED: '1',
      },
    });
    // Installing the bot in the team gives it the conversation reference it posts incident cards with.
    const installed = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(botAddedToTeam(connector.url)) });
    expect(installed.status).toBe(200);
    // The 'maestro-bot started' line names the cluster it changes: here the built-in sandbox.
    const sandboxUrl = new URL(String(bot.started.clusterServer));

    // The shipped route and receiver, pointed at this bot; only the waits are shortened.
    const amConfig = parse(readFileSync('manifests/alertmanager/receiver.yaml', 'utf8'));
    Object.assign(amConfig.route.routes[0], { group_wait: '1s', group_interval: '2s' });
    const hook = amConfig.receivers.find((r: { name: string }) => r.name === 'maestro-bot').webhook_configs[0];
    hook.url = `${bot.url}/webhooks/alertmanager`;
    hook.http_config.authorization.credentials_file = join(dir, 'token');
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(amConfig));
    execFileSync('amtool', ['check-config', join(dir, 'alertmanager.yml')], { stdio: 'pipe' });
    const amPort = await freePort();
    alertmanager = spawn(
      'prometheus-alertmanager',
      [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=', '--log.level=warn'],
      { stdio: 'ignore' },
    );

    prometheus = await startPrometheus({
      config: stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(dir, 'rules.yaml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        // honor_labels: the sandbox speaks for every pod, and its namespace/pod labels are the pods'.
        scrape_configs: [{ job_name: 'sandbox', honor_labels: true, metrics_path: '/metrics', static_configs: [{ targets: [sandboxUrl.host] }] }],
      }),
      port: promPort,
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    if (alertmanager && alertmanager.exitCode === null) {
      alertmanager.kill('SIGTERM');
      await once(alertmanager, 'exit');
    }
    if (bot?.process.exitCode === null) {
      bot.process.kill('SIGTERM');
      await Promise.race([once(bot.process, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (bot.process.exitCode === null) bot.process.kill('SIGKILL');
    }
    await fake?.stop();
    await connector?.stop();
    await cleanPrefix(redis, prefix);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const sam = { id: 'U0SAM', name: 'sam' };
  const sky = { id: 'U0SKY', name: 'sky' };
  const textOf = (c: SlackCall) => `${String(c.body.text)} ${JSON.stringify(c.body.blocks ?? [])}`;
  async function nextCall(method: string, matching: (c: SlackCall) => boolean, timeoutMs: number): Promise<SlackCall> {
    await fake.waitFor(() => fake.succeeded(method).some(matching), timeoutMs);
    return fake.succeeded(method).find(matching)!;
  }
  // One group per namespace (the route's group_by); the prod one is the drill's.
  const isProdCard = (c: SlackCall) => !c.body.thread_ts && textOf(c).includes('MaestroHighErrorRate') && textOf(c).includes('*Environment*\\nprod');
  let card: SlackCall;
  let cardTs: string;

  it('posts MaestroHighErrorRate for the bad release as an incident card with a Roll back button', { timeout: 90_000 }, async () => {
    card = await nextCall('chat.postMessage', isProdCard, 60_000);
    cardTs = String(card.response!.ts);
    expect(card.body.channel).toBe('#maestro-pager');
    expect(slackButtons(card).map((b) => b.text.text)).toContain('Roll back');
  });

  it("rolls back on an sre member's press of Roll back once a second sre member approves", { timeout: 60_000 }, async () => {
    const rollBack = slackButtons(card).find((b) => b.text.text === 'Roll back')!;
    expect(rollBack.action_id).toMatch(/^alert\.action\./);
    expect((await postSlack(bot.url, slackPress(card, rollBack, sam))).status).toBe(200);

    const approval = await nextCall('chat.postMessage', (c) => c.body.thread_ts === cardTs && textOf(c).includes('Waiting for approval by sre'), 15_000);
    const approve = slackButtons(approval).find((b) => b.action_id === 'approval.approve')!;
    expect((await postSlack(bot.url, slackPress(approval, approve, sky))).status).toBe(200);

    const result = await nextCall('chat.postMessage', (c) => c.body.thread_ts === cardTs && textOf(c).includes('Rolled back maestro-orchestrator'), 45_000);
    expect(result.body.channel).toBe(card.response!.channel);
  });

  it('verifies the rollback against the real Prometheus and says it passed in the thread', { timeout: 90_000 }, async () => {
    const passed = await nextCall('chat.postMessage', (c) => c.body.thread_ts === cardTs && textOf(c).includes('Verification passed: maestro-orchestrator in prod'), 80_000);
    // The error-rate reading came from the real Prometheus (a number, not "no data" or "metrics unavailable").
    expect(textOf(passed)).toMatch(/\*error_rate\*\\n[\d.]+% healthy/);
    expect(textOf(passed)).not.toContain('metrics unavailable');
  });

  it('edits the card in place to resolved when Alertmanager sends resolved', { timeout: 60_000 }, async () => {
    const resolved = await nextCall('chat.update', (c) => c.body.ts === cardTs && textOf(c).includes('Resolved') && textOf(c).includes('0 firing'), 50_000);
    expect(resolved.body.channel).toBe(card.response!.channel);
  });

  it("sends the same card to the catalog's Teams channel and edits it there to resolved", { timeout: 30_000 }, async () => {
    const isProd = (c: { body: Record<string, unknown> }) => JSON.stringify(c.body).includes('MaestroHighErrorRate') && JSON.stringify(c.body).includes('prod');
    const sent = connector.activityCalls('send').find((c) => c.conversationId === INCIDENTS && isProd(c));
    expect(sent).toBeDefined();
    await connector.waitFor(() => connector.activityCalls('update').some((u) => u.conversationId === INCIDENTS && isProd(u) && JSON.stringify(u.body).includes('RESOLVED')), 20_000);
  });

  it('keeps a complete evidence record of the rollback: revision, image, who, approver, verdict', { timeout: 30_000 }, async () => {
    const before = fake.calls.length;
    const asked = slashCommandBody({ text: 'history maestro-orchestrator --evidence', user_id: sam.id, user_name: sam.name, channel_id: 'C0PAGER', channel_name: 'maestro-pager' });
    expect((await postSlack(bot.url, asked)).status).toBe(200);
    const record = await nextCall('chat.postMessage', (c) => fake.calls.indexOf(c) >= before && textOf(c).includes('Rollback evidence of maestro-orchestrator'), 15_000);
    const text = textOf(record);
    expect(text).toContain('1 rollback recorded');
    for (const cell of ['prod', 'k8s', '7 → 8 (template 6)', 'v2.8.0 → v2.7.3', 'sam', 'pass', 'approved by sky', 'held for 40s']) expect(text).toContain(cell);
  });
});
