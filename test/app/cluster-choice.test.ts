import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/config/catalog.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { startBotProcess } from '../slack/support/bot-process.js';
import { SIGNING_SECRET } from '../slack/support/slack-requests.js';
import { runBot } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefix = testPrefix('cluster-choice').replaceAll(':', '-');
const slack = { SLACK_BOT_TOKEN: 'xoxb-cluster-choice-0000', SLACK_SIGNING_SECRET: SIGNING_SECRET };
/** No cluster anywhere: the helpers' home has no ~/.kube/config and KUBECONFIG is unset; MAESTRO_SANDBOX is cleared. */
const noCluster = { REDIS_URL, REDIS_PREFIX: prefix, MAESTRO_SANDBOX: '' };
let fake: FakeSlackApi;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
});

afterAll(async () => {
  await fake.stop();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe('the cluster a bot acts on is chosen explicitly', () => {
  it('refuses to start with Slack configured and no cluster, before loading any SDK, in one line naming where it looked', async () => {
    // The floor on this machine, measured in the same test: the process with its first imports and nothing else.
    const bare = await runBot('', { ...noCluster, ...slack }, 20_000, ['--help']);
    const run = await runBot('', { ...noCluster, ...slack }, 20_000);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^maestro-bot: no Kubernetes cluster to act on: /);
    for (const place of ['service-account token', 'KUBECONFIG is not set', '/.kube/config', 'MAESTRO_SANDBOX=1']) {
      expect(lines[0]).toContain(place);
    }
    // Loading Bolt alone takes seconds under tsx: a refusal within ~2 s of the bare start means none was loaded.
    // (Idle, both take 2-3 s, well within the 5 s; a loaded 2-core machine stretches both alike.)
    expect(bare.code).toBe(0);
    expect(run.ms).toBeLessThan(bare.ms + 2000);
  }, 40_000);

  it('refuses a worker with no cluster', async () => {
    const run = await runBot('', { ...noCluster, MAESTRO_ROLE: 'worker' }, 20_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no Kubernetes cluster to act on');
  }, 20_000);

  it('refuses the console too when KUBECONFIG names a file that does not exist (a typo is not the newcomer path)', async () => {
    const run = await runBot('help\n', { ...noCluster, KUBECONFIG: '/etc/kube/confgi' }, 20_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('KUBECONFIG=/etc/kube/confgi names no file that exists');
    expect(run.stdout).toBe('');
  }, 20_000);

  it('refuses a kubeconfig without a current context, naming it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kc-')), 'config');
    // The kubeconfig format: https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
    writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const run = await runBot('', { ...noCluster, ...slack, KUBECONFIG: file }, 20_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no current context with a cluster server');
  }, 20_000);

  it('names the sandbox on a plan card', async () => {
    const run = await runBot('rollback maestro-orchestrator --env prod --dry-run\n', { REDIS_URL, REDIS_PREFIX: prefix }, 60_000);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Cluster: +sandbox · namespace intelgraph-prod\n/);
  }, 60_000);

  it('acts on the cluster KUBECONFIG names, and says which in its first line and on the plan card', async () => {
    const sandbox = await startSandbox({ catalog: loadCatalog('config/catalog.yaml') });
    try {
      const file = join(mkdtempSync(join(tmpdir(), 'kc-')), 'config');
      await sandbox.writeKubeconfig(file);
      const run = await runBot('rollback maestro-orchestrator --env prod --dry-run\n', { ...noCluster, KUBECONFIG: file }, 60_000);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`maestro-bot: acting on cluster context maestro-sandbox at ${sandbox.url}`);
      expect(run.stdout).toMatch(/Cluster: +maestro-sandbox · namespace intelgraph-prod\n/);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('starts with MAESTRO_SANDBOX=1 and names the sandbox, the platforms and the integrations in its start-up line', async () => {
    const bot = await startBotProcess({ prefix: `${prefix}-sb`, slackApiUrl: fake.url, env: { MAESTRO_SANDBOX: '1' } });
    try {
      const line = bot.stderr().split('\n').find((l) => l.includes('"maestro-bot started"'))!;
      const started = JSON.parse(line) as Record<string, unknown>;
      expect(started.cluster).toBe('sandbox');
      expect(started.clusterServer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(started.platforms).toEqual(['slack']);
      // The sandbox serves its own Prometheus API; nothing else is configured.
      expect(started.integrations).toEqual({ prometheus: true, pagerduty: false, statuspage: false, github: false, alertmanagerWebhook: false });
    } finally {
      bot.process.kill('SIGTERM');
      await once(bot.process, 'exit');
      await cleanPrefix(redis, `${prefix}-sb`);
    }
  }, 60_000);
});
