// The baseline for bench/slack-ack.ts, run in a worker thread of its own so that the
// bot's garbage and timers in the bench's main thread never land on its latencies:
// a Bolt app on an express listener whose only listener acks at once.
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import bolt from '@slack/bolt';
import express from 'express';

const { App, ExpressReceiver, LogLevel } = bolt;
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

const app = express();
const receiver = new ExpressReceiver({ app, signingSecret: workerData.signingSecret, logger: quiet });
const bare = new App({ token: 'xoxb-bench-0000', receiver, logger: quiet, clientOptions: { slackApiUrl: workerData.slackApiUrl } });
bare.command(/.*/, async ({ ack }) => {
  await ack();
});
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
parentPort.postMessage(`http://127.0.0.1:${server.address().port}`);
