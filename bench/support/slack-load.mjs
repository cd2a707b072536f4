// Load for bench/slack-ack.ts, run in a worker thread: `total` signed slash commands
// over `concurrency` keep-alive connections, each connection sending its next request
// as soon as the previous one is answered. Requests are built and signed before the
// clock starts, and responses are parsed from the raw bytes, so the client's own
// cost is small next to the server's: with fetch() as the client, the client was
// the bottleneck and even a server that does nothing measured ~120 ms at 200.
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { url, concurrency, total, secret } = workerData;
const target = new URL(url);
const timestamp = Math.floor(Date.now() / 1000);

// One untimed request per connection first: what is measured is the ack on an open
// keep-alive connection, not the accepting of 200 new ones at once (which, even for a
// server that does nothing, put 100-300 ms on the first request of each connection).
const warmUps = concurrency;
const requests = [];
for (let n = 0; n < total + warmUps; n++) {
  const body = new URLSearchParams({
    team_id: 'T0001',
    team_domain: 'example',
    channel_id: 'C0INCIDENT',
    channel_name: 'incident',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/maestro',
    text: 'status maestro-orchestrator',
    api_app_id: 'A0MAESTRO',
    response_url: 'https://hooks.slack.com/commands/T0001/1/xyz',
    // Unique per request, or the bot's dedupe would (rightly) drop all but the first.
    trigger_id: `bench.${process.hrtime.bigint()}.${n}`,
  }).toString();
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  requests.push(
    Buffer.from(
      `POST /slack/events HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Slack-Request-Timestamp: ${timestamp}\r\nX-Slack-Signature: ${signature}\r\n\r\n${body}`,
    ),
  );
}

let next = warmUps;
let open = concurrency;
let warm = 0;
const latencies = [];
const lanes = [];

/** Length of the first complete response in `buffer` (status 200 required), or -1 if incomplete. */
function responseLength(buffer) {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd < 0) return -1;
  const head = buffer.slice(0, headEnd);
  const status = Number(head.slice(9, 12));
  if (status !== 200) throw new Error(`ack failed with ${status}: ${buffer.slice(0, 300)}`);
  const length = /content-length: *(\d+)/i.exec(head);
  if (length) return buffer.length >= headEnd + 4 + Number(length[1]) ? headEnd + 4 + Number(length[1]) : -1;
  if (!/transfer-encoding: *chunked/i.test(head)) return headEnd + 4;
  const last = buffer.indexOf('0\r\n\r\n', headEnd + 4);
  return last < 0 ? -1 : last + 5;
}

function lane(index) {
  const socket = connect(Number(target.port), target.hostname);
  socket.setNoDelay(true);
  socket.setEncoding('latin1');
  let buffer = '';
  let started = 0;
  let warming = true;
  const send = () => {
    if (next >= total + warmUps) {
      socket.end();
      open -= 1;
      if (open === 0) parentPort.postMessage(latencies);
      return;
    }
    const request = requests[next++];
    started = performance.now();
    socket.write(request);
  };
  socket.on('connect', () => socket.write(requests[index]));
  socket.on('data', (chunk) => {
    buffer += chunk;
    for (let length = responseLength(buffer); length >= 0; length = responseLength(buffer)) {
      buffer = buffer.slice(length);
      if (warming) {
        warming = false;
        // Every connection is open and has been answered once: start the clock on all of them together.
        warm += 1;
        if (warm === concurrency) for (const start of lanes) start();
        continue;
      }
      latencies.push(performance.now() - started);
      send();
    }
  });
  lanes.push(send);
}

for (let i = 0; i < concurrency; i++) lane(i);
