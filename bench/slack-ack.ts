/**
 * Slash-command ack latency on /slack/events: the whole bot as main.ts wires it
 * for Slack over HTTP (the edge thread that verifies and acks, Bolt, dedupe,
 * CommandHandler, Redis, job queue, a stand-in Slack Web API) against a bare Bolt
 * app on an express listener that acks and does nothing else (in a worker thread
 * of its own, so the bot's garbage never lands on it), measured in the same run,
 * in interleaved rounds. Each level keeps `concurrency` requests in
 * flight over keep-alive connections until `requests-per-level` are answered.
 *
 * Run: npx tsx bench/slack-ack.ts [requests-per-level]   (BENCH_LEVELS=1,50,200 to choose levels)
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { startSlackHarness } from '../test/slack/support/harness.js';
import { SIGNING_SECRET } from '../test/slack/support/slack-requests.js';

const LEVELS = (process.env.BENCH_LEVELS ?? '1,50,200').split(',').map(Number);
const PER_LEVEL = Number(process.argv[2] ?? 2000);
const ROUNDS = 3;

async function bareBolt(slackApiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(new URL('./support/bare-bolt.mjs', import.meta.url), { workerData: { signingSecret: SIGNING_SECRET, slackApiUrl } });
  const [url] = (await once(worker, 'message')) as [string];
  return { url, close: async () => void (await worker.terminate()) };
}

/** `total` signed slash commands, `concurrency` in flight at a time; each ack's latency in ms. */
function measure(url: string, concurrency: number, total: number): Promise<number[]> {
  // Off the server's event loop: signing requests and reading responses there would count as the server's time.
  const worker = new Worker(new URL('./support/slack-load.mjs', import.meta.url), { workerData: { url, concurrency, total, secret: SIGNING_SECRET } });
  return new Promise((resolve, reject) => {
    worker.once('message', (latencies: number[]) => resolve(latencies));
    worker.once('error', reject);
  });
}

/** Slack's servers are not our CPU: the stand-in Web API answers from its own thread. */
const FAKE_SLACK_SCRIPT = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
let seq = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    seq += 1;
    const ts = '1700000000.' + String(seq).padStart(6, '0');
    const body = req.url.endsWith('auth.test')
      ? { ok: true, team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' }
      : { ok: true, channel: 'C0INCIDENT', ts, message_ts: ts };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage('http://127.0.0.1:' + server.address().port + '/api/'));
`;

async function fakeSlackThread(): Promise<{ url: string; worker: Worker }> {
  const worker = new Worker(FAKE_SLACK_SCRIPT, { eval: true });
  const [url] = (await once(worker, 'message')) as [string];
  return { url, worker };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (ms: number) => ms.toFixed(2).padStart(8);

async function main(): Promise<void> {
  const slack = await fakeSlackThread();
  const bare = await bareBolt(slack.url);
  const ours = await startSlackHarness('bench', { updateIntervalMs: 1000, slackApiUrl: slack.url });

  await measure(bare.url, 20, 300);
  await measure(ours.url, 20, 300);
  await ours.slack.idle();

  const rows: string[] = [];
  for (const concurrency of LEVELS) {
    const base: number[] = [];
    const mine: number[] = [];
    const drain: number[] = [];
    // Interleaved rounds, so drift (GC, Redis, a noisy neighbour) hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      base.push(...(await measure(bare.url, concurrency, Math.ceil(PER_LEVEL / ROUNDS))));
      mine.push(...(await measure(ours.url, concurrency, Math.ceil(PER_LEVEL / ROUNDS))));
      // The bot's work after its acks must not run into the next baseline round.
      const lastAck = performance.now();
      await ours.slack.idle();
      drain.push(performance.now() - lastAck);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    base.sort((a, b) => a - b);
    mine.sort((a, b) => a - b);
    const [b50, b99, m50, m99] = [percentile(base, 50), percentile(base, 99), percentile(mine, 50), percentile(mine, 99)];
    rows.push(
      `| ${String(concurrency).padStart(11)} | ${fmt(b50)} | ${fmt(b99)} | ${fmt(m50)} | ${fmt(m99)} | ${(m50 / b50).toFixed(2).padStart(5)}× | ${(m99 / b99).toFixed(2).padStart(5)}× | ${fmt(Math.max(...drain))} |`,
    );
  }

  console.log(`slash-command ack latency, ms (${PER_LEVEL} requests per level, node ${process.version})`);
  console.log('| concurrency | bare p50 | bare p99 | bot p50  | bot p99  | p50 ratio | p99 ratio | bot work done after last ack |');
  console.log('|------------:|---------:|---------:|---------:|---------:|------:|------:|---------:|');
  for (const row of rows) console.log(row);

  await ours.close();
  await bare.close();
  await slack.worker.terminate();
}

await main();
