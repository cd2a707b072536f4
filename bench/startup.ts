/**
 * Start-up cost of the compiled bot: time from spawning `node dist/main.js` to its
 * 'maestro-bot started' line, and resident memory 2 s later, idle — for the console,
 * Slack only and Slack + Teams; median of RUNS runs each (default 5), against the
 * built-in sandbox and a fake Slack Web API. Run: npm run build && npx tsx bench/startup.ts
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FakeSlackApi } from '../test/fakes/slack-api.js';

const runs = Number(process.env.RUNS ?? 5);
const fake = await new FakeSlackApi().start();
const slack = { SLACK_BOT_TOKEN: 'xoxb-bench-0000', SLACK_SIGNING_SECRET: 'e3b0c44298fc1c149afbf4c8996fb924', SLACK_API_URL: fake.url };
// The Bot Framework's documented app-id shape (a GUID); nothing is contacted before a message arrives.
const teams = { MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppPassword: 'bench-secret', MicrosoftAppType: 'MultiTenant' };
const configs: Record<string, Record<string, string>> = { console: {}, 'slack only': slack, 'slack + teams': { ...slack, ...teams } };

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

function once(env: Record<string, string>): Promise<{ readyMs: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', PORT: '0', MAESTRO_SANDBOX: '1', LOG_LEVEL: 'info', REDIS_PREFIX: `bench-startup-${process.pid}`, ...env },
    // The console keeps reading stdin; a pipe left open keeps it idle instead of at end of input.
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!stderr.includes('"maestro-bot started"')) return;
      child.stderr.removeAllListeners('data');
      child.removeListener('exit', early);
      const readyMs = Math.round(performance.now() - started);
      setTimeout(() => {
        const rss = rssMb(child.pid!);
        child.kill('SIGTERM');
        child.once('exit', () => resolve({ readyMs, rssMb: rss }));
      }, 2000);
    });
    const early = (code: number | null) => reject(new Error(`exited ${code}: ${stderr}`));
    child.once('exit', early);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Record<string, { readyMs: number; rssMb: number }> = {};
for (const [name, env] of Object.entries(configs)) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(env));
  rows[name] = { readyMs: median(results.map((r) => r.readyMs)), rssMb: median(results.map((r) => r.rssMb)) };
}
await fake.stop();
process.stdout.write(`node ${process.version}, median of ${runs} runs\n${JSON.stringify(rows, null, 2)}\n`);
