import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { rulesFile } from '../../src/config/alert-rules.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { FakeBotConnector } from '../fakes/bot-connector.js';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api.js';
import { type BotProcess, startBotProcess } from '../slack/support/bot-process.js';
import { botAddedToTeam, TEAM_ID } from '../teams/support/activities.js';
import { shippedWith } from './catalog-fixtures.js';
import { freePort, hasPrometheus, type RealPrometheus, startPrometheus } from './real-prometheus.js';
import { cleanPrefix, testRedis } from './redis.js';

/**
 * The drill's parts, for test/drill/real-alert-path.test.ts and `npm run drill`: the bot
 * process on the built-in sandbox (the bad release), Debian's Prometheus scraping it
 * with the catalog's rules, Debian's Alertmanager with the shipped receiver.yaml, a
 * fake Slack Web API and a fake Bot Connector. Time is compressed only by configuration.
 */

export const hasAlertmanager = spawnSync('prometheus-alertmanager', ['--version']).status === 0;
export const hasDrillParts = hasPrometheus && hasAlertmanager;

/** The channel the shipped catalog names ("Maestro Incidents") for maestro-orchestrator's Teams incidents. */
export const TEAMS_INCIDENTS = '19:incidents0000000000000000000000@thread.tacv2';
/** Members of S0MAESTROSRE, the shipped catalog's sre group: one presses, the other approves. */
export const SAM = { id: 'U0SAM', name: 'sam' };
export const SKY = { id: 'U0SKY', name: 'sky' };
/** The compressed runbook window (10m) of verification. */
export const VERIFY_WINDOW = '40s';

const TOKEN = 'drill-token-0123456789abcdef';

export interface DrillStack {
  slack: FakeSlackApi;
  connector: FakeBotConnector;
  bot: BotProcess;
  prometheus: RealPrometheus;
  stop(): Promise<void>;
}

export async function startDrillStack(prefix: string): Promise<DrillStack> {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-drill-'));
  const parts: { slack?: FakeSlackApi; connector?: FakeBotConnector; bot?: BotProcess; prometheus?: RealPrometheus; alertmanager?: ChildProcess } = {};
  const stop = async () => {
    await parts.prometheus?.stop();
    if (parts.alertmanager && parts.alertmanager.exitCode === null) {
      parts.alertmanager.kill('SIGTERM');
      await once(parts.alertmanager, 'exit');
    }
    if (parts.bot?.process.exitCode === null) {
      parts.bot.process.kill('SIGTERM');
      await Promise.race([once(parts.bot.process, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (parts.bot.process.exitCode === null) parts.bot.process.kill('SIGKILL');
    }
    await parts.slack?.stop();
    await parts.connector?.stop();
    const redis = testRedis();
    await cleanPrefix(redis, prefix);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const catalogText = shippedWith((raw) => {
      // Short, so the alert fires and clears within the drill; verification waits out the
      // range before a critical reading counts (docs/verification.md, settling).
      raw.defaults.range = '4s';
      raw.alerts.MaestroHighErrorRate.for = '5s';
    });
    const catalogFile = join(dir, 'catalog.yaml');
    writeFileSync(catalogFile, catalogText);
    writeFileSync(join(dir, 'rules.yaml'), rulesFile(parseCatalog(catalogText)));
    writeFileSync(join(dir, 'token'), TOKEN);

    const slack = await new FakeSlackApi().start();
    parts.slack = slack;
    slack.setUserGroup('S0MAESTROSRE', [SAM.id, SKY.id]);
    const connector = await new FakeBotConnector().start();
    parts.connector = connector;
    connector.channels = [{ id: TEAM_ID }, { id: TEAMS_INCIDENTS, name: 'Maestro Incidents' }];
    const promPort = await freePort();
    const bot = await startBotProcess({
      prefix,
      slackApiUrl: slack.url,
      env: {
        MAESTRO_SANDBOX: '1',
        MAESTRO_CATALOG: catalogFile,
        ALERTMANAGER_TOKEN: TOKEN,
        // Verification reads the real Prometheus, not the sandbox's own answers.
        PROMETHEUS_URL: `http://127.0.0.1:${promPort}`,
        MAESTRO_VERIFY_WINDOW: VERIFY_WINDOW,
        SLACK_RESPONSE_URL_BASE: slack.hooksBase,
        PROGRESS_INTERVAL: '500ms',
        // Teams without an app id: the bot then sends to the fake connector unsigned (development mode).
        TEAMS_ALLOW_UNAUTHENTICATED: '1',
      },
    });
    parts.bot = bot;
    // Installing the bot in the team gives it the conversation reference it posts incident cards with.
    const installed = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(botAddedToTeam(connector.url)),
    });
    if (installed.status !== 200) throw new Error(`installing the bot in the team answered ${installed.status}`);
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
    parts.alertmanager = spawn(
      'prometheus-alertmanager',
      [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=', '--log.level=warn'],
      { stdio: 'ignore' },
    );

    const prometheus = await startPrometheus({
      config: stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(dir, 'rules.yaml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        // honor_labels: the sandbox speaks for every pod, and its namespace/pod labels are the pods'.
        scrape_configs: [{ job_name: 'sandbox', honor_labels: true, metrics_path: '/metrics', static_configs: [{ targets: [sandboxUrl.host] }] }],
      }),
      port: promPort,
    });
    parts.prometheus = prometheus;
    return { slack, connector, bot, prometheus, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A Slack call's text and blocks, as one string to look for words in. */
export function textOf(call: SlackCall): string {
  return `${String(call.body.text)} ${JSON.stringify(call.body.blocks ?? [])}`;
}

/** The prod card: one group per namespace (the route's group_by), and prod's is the drill's. */
export function isProdCard(call: SlackCall): boolean {
  return !call.body.thread_ts && textOf(call).includes('MaestroHighErrorRate') && textOf(call).includes('*Environment*\\nprod');
}

/** The first successful `method` call matching, once there is one. */
export async function nextCall(slack: FakeSlackApi, method: string, matching: (call: SlackCall) => boolean, timeoutMs: number): Promise<SlackCall> {
  await slack.waitFor(() => slack.succeeded(method).some(matching), timeoutMs);
  return slack.succeeded(method).find(matching)!;
}
