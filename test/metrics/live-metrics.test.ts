import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DROPPED_DEFAULT_METRICS } from '../../src/core/metrics.js';
import { highErrorRate } from '../fixtures/alertmanager/payloads.js';
import { type StartedBot, startBot } from '../support/bot-process.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

const redis = testRedis();
const prefix = testPrefix('live-metrics').replaceAll(':', '-');
const TOKEN = 'live-metrics-token';
const dir = mkdtempSync(join(tmpdir(), 'maestro-metrics-'));
let bot: StartedBot;
let text: string;

function alert(token: string) {
  return fetch(`${bot.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(highErrorRate('{}/{}:{alertname="MaestroHighErrorRate", metrics="live"}')),
  });
}

beforeAll(async () => {
  bot = await startBot({ REDIS_URL, REDIS_PREFIX: prefix, ALERTMANAGER_TOKEN: TOKEN }, ['--role', 'web']);
  expect((await alert(TOKEN)).status).toBe(200);
  expect((await alert(`${TOKEN}-forged`)).status).toBe(401);
  await fetch(`${bot.url}/health/ready`);
  text = await (await fetch(`${bot.url}/metrics`)).text();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

/** The metric families /metrics declares, from its `# TYPE` lines. */
function families(exposition: string): Set<string> {
  return new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

describe('a live /metrics', () => {
  it('passes promtool check metrics (Debian prometheus)', () => {
    const file = join(dir, 'metrics.txt');
    writeFileSync(file, text);
    const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(run.error, 'promtool not found: apt-get install prometheus').toBeUndefined();
    expect({ status: run.status, problems: `${run.stdout}${run.stderr}` }).toEqual({ status: 0, problems: '' });
  });

  it('keeps the standard process_* and nodejs_* names, unprefixed', () => {
    const names = families(text);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_active_handles']) {
      expect(names, name).toContain(name);
    }
    expect([...names].filter((n) => n.startsWith('maestro_bot_process_') || n.startsWith('maestro_bot_nodejs_'))).toEqual([]);
  });

  it('drops the three nodejs_active_*_total gauges promtool rejects', () => {
    for (const name of DROPPED_DEFAULT_METRICS) expect(families(text)).not.toContain(name);
  });

  it('counts webhooks by source and outcome', () => {
    expect(text).toContain('maestro_bot_webhook_requests_total{source="alertmanager",outcome="accepted"} 1');
    expect(text).toContain('maestro_bot_webhook_requests_total{source="alertmanager",outcome="unauthorized"} 1');
  });

  it('measures HTTP latency by route, method and status', () => {
    expect(text).toMatch(/maestro_bot_http_request_duration_seconds_count\{route="\/health\/ready",method="GET",status="200"\} 1/);
  });

  it('declares the job, verification, chat call and chat retry metrics', () => {
    for (const name of ['maestro_bot_jobs_queued', 'maestro_bot_jobs_running', 'maestro_bot_job_duration_seconds', 'maestro_bot_verification_verdicts_total', 'maestro_bot_chat_calls_total', 'maestro_bot_chat_retries_total']) {
      expect(families(text), name).toContain(name);
    }
    expect(text).toMatch(/^maestro_bot_jobs_queued 0$/m);
  });
});

describe('the Grafana dashboard in manifests/grafana', () => {
  const dashboard = JSON.parse(readFileSync('manifests/grafana/maestro-bot.json', 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));

  it('has queries whose PromQL parses (promtool check rules, each query as a recording rule)', () => {
    const rules = { groups: [{ name: 'dashboard', rules: exprs.map((e, i) => ({ record: `maestro_bot:dashboard_query_${i}`, expr: e.expr })) }] };
    const file = join(dir, 'dashboard-rules.yaml');
    writeFileSync(file, stringify(rules));
    const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(run.error, 'promtool not found: apt-get install prometheus').toBeUndefined();
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  });

  it('graphs chat API errors and retries', () => {
    expect(exprs.map((e) => e.expr)).toEqual(
      expect.arrayContaining([expect.stringContaining('maestro_bot_chat_calls_total{outcome="error"}'), expect.stringContaining('rate(maestro_bot_chat_retries_total[')]),
    );
  });

  it('names only metrics a live /metrics serves', () => {
    const served = families(text);
    const missing: string[] = [];
    for (const { panel, expr } of exprs) {
      for (const [name] of expr.matchAll(/\b(?:maestro_bot|process|nodejs)_[a-z0-9_]+/g)) {
        const family = name.replace(/_(bucket|sum|count)$/, '');
        if (!served.has(name) && !served.has(family)) missing.push(`${panel}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
