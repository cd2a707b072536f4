import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { postSlack, slashCommandBody } from '../slack/support/slack-requests.js';
import { botBaseEnv, type StartedBot, startBot } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefix = testPrefix('roles').replaceAll(':', '-');
const TOKEN = 'alertmanager-roles-test-token';
const running: StartedBot[] = [];

afterAll(async () => {
  await Promise.all(running.map((bot) => bot.stop()));
  for (const group of ['web', 'worker', 'split']) await cleanPrefix(redis, `${prefix}-${group}`);
  await redis.quit();
});

/** Each group of processes under its own prefix: a worker of another group would take its jobs, against its own cluster. */
async function started(group: string, env: Record<string, string>, args: string[]): Promise<StartedBot> {
  const bot = await startBot({ REDIS_URL, REDIS_PREFIX: `${prefix}-${group}`, ...env }, args);
  running.push(bot);
  return bot;
}

describe('--role web with no chat credentials and stdin closed', () => {
  let web: StartedBot;
  beforeAll(async () => {
    web = await started('web', { ALERTMANAGER_TOKEN: TOKEN }, ['--role', 'web']);
  }, 60_000);

  it('stays up instead of falling into the console and exiting', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(web.process.exitCode).toBeNull();
    expect(web.started.platforms).toEqual([]);
  });

  it('answers /health/ready', async () => {
    expect((await fetch(`${web.url}/health/ready`)).status).toBe(200);
  });

  it('takes an Alertmanager notification', async () => {
    const response = await fetch(`${web.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(highErrorRate('{}/{}:{alertname="MaestroHighErrorRate", roles="web"}')),
    });
    expect(response.status).toBe(200);
  });

  it('exits 0 on SIGTERM', async () => {
    expect(await web.stop()).toBe(0);
  }, 30_000);
});

describe('--role worker', () => {
  let worker: StartedBot;
  beforeAll(async () => {
    // PORT is taken on purpose: a worker must not listen there.
    worker = await started('worker', { PORT: '1', HEALTH_PORT: '0', ALERTMANAGER_TOKEN: TOKEN }, ['--role', 'worker']);
  }, 60_000);

  it('serves its probes and /metrics on HEALTH_PORT', async () => {
    expect((await fetch(`${worker.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${worker.url}/health/ready`)).status).toBe(200);
    expect(await (await fetch(`${worker.url}/metrics`)).text()).toContain('maestro_bot_commands_total');
  });

  it('serves nothing else there: no webhooks, no chat', async () => {
    const alert = await fetch(`${worker.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(highErrorRate()),
    });
    expect(alert.status).toBe(404);
    expect((await fetch(`${worker.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});

/** `npm run sandbox`, as README documents for running split roles locally; resolves with its kubeconfig file. */
async function runSandbox(kubeconfig: string): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts'], {
    env: { ...botBaseEnv(), SANDBOX_KUBECONFIG: kubeconfig, MAESTRO_SANDBOX_TICK: '50ms' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /maestro sandbox cluster at (\S+)/.exec(out)?.[1];
      if (url && out.includes('kubeconfig:')) resolve({ process: child, url });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
  });
}

describe('web and two workers against one `npm run sandbox`', () => {
  let fake: FakeSlackApi;
  let sandbox: { process: ChildProcess; url: string };
  let web: StartedBot;
  const dir = mkdtempSync(join(tmpdir(), 'maestro-roles-'));
  const kubeconfig = join(dir, 'kubeconfig');

  beforeAll(async () => {
    fake = await new FakeSlackApi().start();
    sandbox = await runSandbox(kubeconfig);
    // The shipped catalog with alice in sre, so her Slack command passes the policy.
    const raw = parse(readFileSync('config/catalog.yaml', 'utf8'));
    raw.policy.roles.sre.slack.users = ['U0ALICE'];
    const catalog = join(dir, 'catalog.yaml');
    writeFileSync(catalog, stringify(raw));
    const env = {
      MAESTRO_SANDBOX: '',
      KUBECONFIG: kubeconfig,
      MAESTRO_CATALOG: catalog,
      SLACK_BOT_TOKEN: 'xoxb-roles-test-0000',
      SLACK_SIGNING_SECRET: 'e3b0c44298fc1c149afbf4c8996fb924',
      SLACK_API_URL: fake.url,
      HEALTH_PORT: '0',
    };
    [web] = await Promise.all([started('split', env, ['--role', 'web']), started('split', env, ['--role', 'worker']), started('split', env, ['--role', 'worker'])]);
  }, 90_000);

  afterAll(async () => {
    // The bots first: a worker shutting down may still talk to the cluster.
    await Promise.all(running.splice(-3).map((bot) => bot.stop()));
    sandbox?.process.kill('SIGTERM');
    await fake?.stop();
  }, 60_000);

  it('all three name the same cluster context in their start-up line', () => {
    for (const bot of running.slice(-3)) {
      expect({ cluster: bot.started.cluster, server: bot.started.clusterServer }).toEqual({ cluster: 'maestro-sandbox', server: sandbox.url });
    }
  });

  it('a scale taken by the web role is run by a worker on the cluster the web role reads', async () => {
    const response = await postSlack(web.url, slashCommandBody({ text: 'scale maestro-orchestrator 4 --env staging' }));
    expect(response.status).toBe(200);
    const deadline = Date.now() + 30_000;
    let replicas: number | undefined;
    while (Date.now() < deadline) {
      const d = (await (
        await fetch(`${sandbox.url}/apis/apps/v1/namespaces/intelgraph-staging/deployments/maestro-orchestrator`, {
          headers: { authorization: 'Bearer maestro-sandbox-token' },
        })
      ).json()) as { spec: { replicas: number } };
      replicas = d.spec.replicas;
      if (replicas === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(replicas).toBe(4);
    // The web role never runs jobs: the one that ran it is a worker.
    expect(web.stderr()).not.toContain('"job started"');
    const ran = running.slice(-2).filter((w) => /scale/.test(w.stderr()));
    expect(ran.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
