import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseCatalog } from '../../src/config/catalog.js';
import type { Catalog } from '../../src/config/catalog-schema.js';
import { notification } from '../fixtures/alertmanager/payloads.js';
import { recordingLog } from '../support/recording-log.js';
import { type AlertHarness, startAlertHarness } from './support/harness.js';

/** The shipped catalog, changed by `mutate`: each suite states the routing it relies on. */
function catalogWith(mutate: (raw: Record<string, any>) => void): Catalog {
  const raw = parse(readFileSync('config/catalog.yaml', 'utf8'));
  mutate(raw);
  return parseCatalog(stringify(raw), 'default-channels-fixture.yaml');
}

let groups = 0;
function newGroup(alertname: string): string {
  groups += 1;
  return `{}/{}:{alertname="${alertname}", run="${Date.now()}-${groups}"}`;
}

function reset(h: AlertHarness): void {
  h.slackApi.reset();
  h.pd.reset();
  h.teams.calls.length = 0;
}

const slackCards = (h: AlertHarness) => h.slackApi.succeeded('chat.postMessage').filter((c) => !c.body.thread_ts);

/** An alert whose labels name no catalog service. */
const nodeDiskPressure = (group: string) =>
  notification(group, [{ alertname: 'NodeDiskPressure', fingerprint: 'dd0000000001', labels: { namespace: 'kube-system', node: 'ip-10-0-1-7' } }]);

describe('alerts with no channel of their own, with catalog default alert channels', () => {
  let h: AlertHarness;
  beforeAll(async () => {
    const catalog = catalogWith((raw) => {
      raw.defaults.alertChannels = { slack: ['#ops-alerts'], teams: ['Ops Alerts'] };
      raw.services['victor-coordinators'].channels = { slack: ['#victor-incidents'] };
    });
    h = await startAlertHarness('default-channels', { catalog });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => reset(h));

  it('posts an alert for an unknown service in the default channel on every platform', async () => {
    const response = await h.notify(nodeDiskPressure(newGroup('NodeDiskPressure')));
    expect(response.status).toBe(200);
    await h.incidents.settled();

    expect(slackCards(h).map((c) => c.body.channel)).toEqual(['#ops-alerts']);
    expect(String(slackCards(h)[0]!.body.text)).toContain('NodeDiskPressure');
    expect(h.teams.posts().map((p) => p.ref.conversation)).toEqual(['Ops Alerts']);
  });

  it('posts on Teams in the default channel when the service has a Slack channel but no Teams one', async () => {
    const response = await h.notify(
      notification(newGroup('VictorCoordinatorHighLatency'), [{ alertname: 'VictorCoordinatorHighLatency', fingerprint: 'vc0000000001', labels: { namespace: 'intelgraph-prod' } }]),
    );
    expect(response.status).toBe(200);
    await h.incidents.settled();

    expect(slackCards(h).map((c) => c.body.channel)).toEqual(['#victor-incidents']);
    expect(h.teams.posts().map((p) => p.ref.conversation)).toEqual(['Ops Alerts']);
  });
});

describe('alerts with no channel of their own, and no catalog default alert channels', () => {
  let h: AlertHarness;
  const { log, lines } = recordingLog('warn');
  beforeAll(async () => {
    const catalog = catalogWith((raw) => {
      delete raw.defaults.alertChannels;
    });
    h = await startAlertHarness('no-default-channels', { catalog, log });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => reset(h));

  it('answers 200, posts nothing, and logs a warning and counts the notification', async () => {
    const group = newGroup('NodeDiskPressure');
    const response = await h.notify(nodeDiskPressure(group));
    expect(response.status).toBe(200);
    await h.incidents.settled();

    expect(h.slackApi.succeeded('chat.postMessage')).toHaveLength(0);
    expect(h.teams.calls).toHaveLength(0);
    const warning = lines().find((l) => l.groupKey === group);
    expect(warning).toMatchObject({ level: 40, alertname: 'NodeDiskPressure', groupKey: group });
    expect(String(warning!.msg)).toContain('defaults.alertChannels');
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('maestro_bot_alert_notifications_unrouted_total{alertname="NodeDiskPressure"} 1');
  });
});
