/**
 * Alert storm: 5,000 Alertmanager notifications over 50 groups, sent as fast as
 * the receiver takes them, through the real listener, queue, incident store and
 * card flusher to a fake Slack. Prints intake time, settle time, cards, edits and
 * the busiest channel's posting rate. Run: npx tsx bench/alert-storm.ts
 */
import { startAlertHarness } from '../test/alerts/support/harness.js';
import { runStorm } from '../test/alerts/support/storm.js';

const h = await startAlertHarness('bench-storm', { cardIntervalMs: 1000, workerConcurrency: 32 });
try {
  const result = await runStorm(h, { groups: 50, perGroup: 100 });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await h.close();
}
