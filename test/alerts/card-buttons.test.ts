import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentIdFor } from '../../src/incidents/incident.js';
import { notification } from '../fixtures/alertmanager/payloads.js';
import { buttonBody, postSlack } from '../slack/support/slack-requests.js';
import { type AlertHarness, startAlertHarness } from './support/harness.js';
import { slackButtons, slackPress } from './support/presses.js';

let h: AlertHarness;
beforeAll(async () => {
  h = await startAlertHarness('buttons', { sandbox: true });
});
afterAll(async () => {
  await h.close();
});

describe('incident card buttons', () => {
  it('runs the suggested Restart against the cluster as a job, threaded under the card', async () => {
    const group = '{}:{alertname="MaestroHighErrorRate", env="staging"}';
    await h.notify(notification(group, [{ alertname: 'MaestroHighErrorRate', fingerprint: 'stg0001', labels: { env: 'staging', namespace: 'intelgraph-staging' } }]));
    await h.incidents.settled();
    const card = h.slackApi.succeeded('chat.postMessage').find((c) => !c.body.thread_ts)!;
    const ts = String(card.response!.ts);
    const restart = slackButtons(card).find((b) => b.text.text === 'Restart')!;

    const press = await postSlack(h.url, slackPress(card, restart, { id: 'U0ADA', name: 'ada' }));
    expect(press.status).toBe(200);
    await h.slackApi.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts && /restart/i.test(String(c.body.text))), 20_000);
    await h.slackApi.waitFor(
      (calls) => calls.some((c) => c.body.thread_ts === ts && /Restarted|rolled out|complete/i.test(String(c.body.text))),
      30_000,
    );
    const threaded = h.slackApi.succeeded('chat.postMessage').filter((c) => c.body.thread_ts === ts);
    expect(threaded.length).toBeGreaterThan(0);
  });

  it('refuses a card button replayed in another channel', async () => {
    const group = '{}:{alertname="MaestroHighErrorRate", replay="1"}';
    await h.notify(notification(group, [{ alertname: 'MaestroHighErrorRate', fingerprint: 'rep0001' }]));
    await h.incidents.settled();
    const status = (await h.incidents.store.get(incidentIdFor(group)))!.buttons.find((b) => b.label === 'Status')!;
    h.slackApi.reset();
    await postSlack(h.url, buttonBody({ actionId: 'alert.action.2', value: status.value, messageTs: '1.2', channelId: 'C0ELSEWHERE' }));
    await h.slackApi.waitFor(() => h.slackApi.succeeded('chat.postEphemeral').length === 1);
    expect(String(h.slackApi.succeeded('chat.postEphemeral')[0]!.body.text)).toContain('expired or does not belong');
  });

  it('still runs the action of a card posted when every suggested action had the id alert.action', async () => {
    const group = '{}:{alertname="MaestroHighErrorRate", legacy="1"}';
    h.slackApi.reset();
    await h.notify(notification(group, [{ alertname: 'MaestroHighErrorRate', fingerprint: 'leg0001' }]));
    await h.incidents.settled();
    const card = h.slackApi.succeeded('chat.postMessage').find((c) => !c.body.thread_ts && String(c.body.text).includes('MaestroHighErrorRate'))!;
    const ts = String(card.response!.ts);
    const status = (await h.incidents.store.get(incidentIdFor(group)))!.buttons.find((b) => b.label === 'Status')!;
    h.slackApi.reset();
    await postSlack(h.url, buttonBody({ actionId: 'alert.action', value: status.value, messageTs: ts, channelId: '#maestro-pager' }));
    await h.slackApi.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts), 15_000);
  });
});
