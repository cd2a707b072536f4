import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { rulesFile } from '../../src/config/alert-rules.js';
import { parseCatalog } from '../../src/config/catalog.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { type BotProcess, startBotProcess } from '../slack/support/bot-process.js';
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
  let bot: BotProcess;
  let prometheus: RealPrometheus | undefined;
  let alertmanager: ReturnType<typeof spawn> | undefined;

  beforeAll(async () => {
    const catalogText = shippedWith((raw) => {
      raw.defaults.range = '10s';
      raw.alerts.MaestroHighErrorRate.for = '5s';
    });
    const catalogFile = join(dir, 'catalog.yaml');
    writeFileSync(catalogFile, catalogText);
    writeFileSync(join(dir, 'rules.yaml'), rulesFile(parseCatalog(catalogText)));
    writeFileSync(join(dir, 'token'), TOKEN);

    fake = await new FakeSlackApi().start();
    fake.setUserGroup('S0MAESTROSRE', ['U0SAM', 'U0SKY']);
    const promPort = await freePort();
    bot = await startBotProcess({
      prefix,
      slackApiUrl: fake.url,
      env: { MAESTRO_SANDBOX: '1', MAESTRO_CATALOG: catalogFile, ALERTMANAGER_TOKEN: TOKEN, PROMETHEUS_URL: `http://127.0.0.1:${promPort}` },
    });
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
    await cleanPrefix(redis, prefix);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('posts MaestroHighErrorRate for the bad release as an incident card with a Roll back button', { timeout: 90_000 }, async () => {
    // One group per namespace (the route's group_by); the prod one is the drill's.
    const isProdCard = (c: { body: Record<string, unknown> }) => {
      const text = JSON.stringify(c.body.blocks ?? []);
      return text.includes('MaestroHighErrorRate') && text.includes('*Environment*\\nprod');
    };
    await fake.waitFor(() => fake.succeeded('chat.postMessage').some(isProdCard), 60_000);
    const card = fake.succeeded('chat.postMessage').find(isProdCard)!;
    expect(card.body.channel).toBe('#maestro-pager');
    const actions = (card.body.blocks as { type: string; elements?: { text?: { text: string } }[] }[]).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.text?.text)).toContain('Roll back');
  });
});
