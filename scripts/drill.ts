import { randomBytes } from 'node:crypto';
import { slackButtons, slackPress } from '../test/alerts/support/presses.js';
import { postSlack } from '../test/slack/support/slack-requests.js';
import { hasDrillParts, isProdCard, nextCall, SAM, SKY, startDrillStack, TEAMS_INCIDENTS, textOf } from '../test/support/drill-stack.js';

/**
 * `npm run drill`: the drill of test/drill/real-alert-path.test.ts for people, on the
 * same parts (Debian's `prometheus` and `prometheus-alertmanager`, Redis, the bot on its
 * sandbox, fake Slack and Teams), printing each step as it happens. Exits 1 at the
 * first step that does not happen in time; every process it started is stopped.
 */

if (!hasDrillParts) {
  process.stderr.write('npm run drill needs prometheus, promtool and prometheus-alertmanager on PATH (apt-get install prometheus prometheus-alertmanager)\n');
  process.exit(2);
}

const started = Date.now();
const say = (line: string) => process.stdout.write(`[${String(Math.round((Date.now() - started) / 1000)).padStart(3)}s] ${line}\n`);

say('starting the bot on its sandbox (bad release v2.8.0 in prod), Prometheus, Alertmanager, fake Slack and Teams');
const stack = await startDrillStack(`drill-${randomBytes(4).toString('hex')}`);
const { slack, connector, bot } = stack;
try {
  say(`Prometheus at ${stack.prometheus.url} scrapes the sandbox every 1s; waiting for MaestroHighErrorRate`);
  const card = await nextCall(slack, 'chat.postMessage', isProdCard, 60_000);
  const cardTs = String(card.response!.ts);
  say(`Slack: the incident card in ${String(card.body.channel)}`);
  const inThread = (words: string) => (c: typeof card) => c.body.thread_ts === cardTs && textOf(c).includes(words);

  const rollBack = slackButtons(card).find((b) => b.text.text === 'Roll back')!;
  await postSlack(bot.url, slackPress(card, rollBack, SAM));
  const approval = await nextCall(slack, 'chat.postMessage', inThread('Waiting for approval by sre'), 15_000);
  say(`${SAM.name} (sre) pressed Roll back; the bot asks a second sre member to approve`);
  await postSlack(bot.url, slackPress(approval, slackButtons(approval).find((b) => b.action_id === 'approval.approve')!, SKY));
  say(`${SKY.name} (sre) approved; the rollback job runs`);
  const result = await nextCall(slack, 'chat.postMessage', inThread('Rolled back maestro-orchestrator'), 45_000);
  say(`Slack thread: ${String(result.body.text).split('\n')[0]}`);

  const resolved = await nextCall(slack, 'chat.update', (c) => c.body.ts === cardTs && textOf(c).includes('RESOLVED'), 60_000);
  say(`the error rate fell, Prometheus resolved the alert, Alertmanager sent resolved: the card now reads "${String(resolved.body.text).split('\n')[0]}"`);
  const passed = await nextCall(slack, 'chat.postMessage', inThread('Verification passed'), 80_000);
  say(`verification against the real Prometheus: ${String(passed.body.text).split('\n')[0]}`);

  const teams = JSON.stringify(connector.activityCalls().filter((c) => c.conversationId === TEAMS_INCIDENTS).map((c) => c.body));
  say(`Teams: the card ${teams.includes('MaestroHighErrorRate') ? 'was sent to' : 'did NOT reach'} "Maestro Incidents"${teams.includes('RESOLVED') ? ' and edited to resolved' : ''}`);
  const evidence = /```\\nEvidence record\\n(.*?)```/.exec(JSON.stringify(passed.body.blocks))?.[1];
  say(`evidence record:\n${(evidence ?? '(none in the verification message)').replaceAll('\\n', '\n')}`);
  say('drill complete');
} catch (error) {
  say(`drill FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stack.stop();
}
