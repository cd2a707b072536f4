import { describe, expect, it } from 'vitest';
import { events } from '../../src/verbs/events/events.js';
import { history } from '../../src/verbs/history/history.js';
import { kubernetesVerbs } from '../support/kubernetes-verbs.js';
import { logs } from '../../src/verbs/logs/logs.js';
import { status } from '../../src/verbs/status/status.js';
import { ActionRegistry } from '../../src/core/registry.js';
import { actionContext, recorder } from './context.js';
import { IMAGE, seededCluster } from './seed.js';

const svc = { service: 'maestro-orchestrator' };
const noProgress = recorder().progress;

describe('status', () => {
  it('shows replicas, revision, image and rollout state of one service', async () => {
    const message = (await status.execute(actionContext(seededCluster()), svc, noProgress)).message;
    expect(message.title).toBe('maestro-orchestrator in prod');
    expect(message.severity).toBe('success');
    expect(message.fields).toEqual(
      expect.arrayContaining([
        { label: 'Replicas', value: '3/3 ready, 3 updated, 3 available' },
        { label: 'Revision', value: '7' },
        { label: 'Image', value: IMAGE('v2.8.0') },
        { label: 'Rollout', value: 'complete' },
      ]),
    );
  });

  it('grades crash-looping pods critical and names them', async () => {
    const k8s = seededCluster();
    k8s.markImageBad(IMAGE('v2.8.0'));
    const message = (await status.execute(actionContext(k8s), svc, noProgress)).message;
    expect(message.severity).toBe('critical');
    expect(message.fields?.find((f) => f.label === 'Pod restarts')?.value).toMatch(/^12 \(maestro-orchestrator-\w+-0: CrashLoopBackOff, 4/);
  });

  it('lists every catalog service of the environment without a service', async () => {
    const message = (await status.execute(actionContext(seededCluster()), {}, noProgress)).message;
    expect(message.title).toBe('Services in prod');
    expect(message.table!.columns.map((c) => c.header)).toEqual(['SERVICE', 'READY', 'REVISION', 'IMAGE', 'ROLLOUT', 'HEALTH']);
    expect(message.table!.rows.map((row) => row[0])).toEqual([
      'maestro-orchestrator',
      'maestro-premium-router',
      'notification-agent',
      'victor-coordinators',
    ]);
  });
});

describe('history', () => {
  it('lists revisions with image and change cause, the current one marked', async () => {
    const message = (await history.execute(actionContext(seededCluster()), svc, noProgress)).message;
    const { columns, rows } = message.table!;
    expect(columns.map((c) => c.header)).toEqual(['', 'REVISION', 'IMAGE', 'AGE', 'CHANGE-CAUSE']);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toEqual(['*', '7', 'ghcr.io/intelgraph/maestro-orchestrator:v2.8.0', '7h', 'deploy revision 7']);
    expect(rows[1]!.slice(0, 2)).toEqual(['', '6']);
  });
});

describe('logs', () => {
  it('refuses an invalid --grep regular expression', async () => {
    await expect(logs.execute(actionContext(seededCluster()), { ...svc, since: '10m', grep: '(' }, noProgress)).rejects.toThrow(
      /--grep '\(' is not a valid regular expression/,
    );
  });

  it('redacts secrets and keeps only matching lines', async () => {
    const k8s = seededCluster();
    const pod = (await k8s.listPods('intelgraph-prod', 'app=maestro-orchestrator'))[0]!.name;
    k8s.logs.set(pod, 'INFO ok\nERROR db password=hunter2 failed\nERROR auth Bearer abcdefghijklmnop\n');
    const message = (await logs.execute(actionContext(k8s), { ...svc, since: '10m', grep: 'error' }, noProgress)).message;
    expect(message.code).toBe(`${pod}: ERROR db password=[redacted] failed\n${pod}: ERROR auth Bearer [redacted]`);
  });

  it('takes --since in seconds, as the grammar hands durations over', async () => {
    const k8s = seededCluster();
    const pod = (await k8s.listPods('intelgraph-prod', 'app=maestro-orchestrator'))[0]!.name;
    k8s.logs.set(pod, 'INFO ok\n');
    const message = (await logs.execute(actionContext(k8s), { ...svc, since: 1800 }, noProgress)).message;
    expect(message.text).toBe('1 line from 3 pods, last 30m; secrets redacted.');
  });

  it('caps the tail to a chat message and says how much was cut', async () => {
    const k8s = seededCluster();
    const pod = (await k8s.listPods('intelgraph-prod', 'app=maestro-orchestrator'))[0]!.name;
    k8s.logs.set(pod, Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n'));
    const message = (await logs.execute(actionContext(k8s), { ...svc, since: '10m' }, noProgress)).message;
    expect(message.code!.length).toBeLessThanOrEqual(2500);
    expect(message.code!.endsWith(`line 399 ${'x'.repeat(40)}`)).toBe(true);
    expect(message.footer).toMatch(/^\d+ earlier lines cut to fit the message/);
  });
});

describe('events', () => {
  it("shows the service's events, oldest first, redacted", async () => {
    const k8s = seededCluster();
    const at = (m: number) => new Date(Date.now() - m * 60_000);
    k8s.events.push(
      { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting, token=abc123', object: 'Pod/maestro-orchestrator-abc-0', count: 5, lastSeen: at(1) },
      { type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up', object: 'Deployment/maestro-orchestrator', count: 1, lastSeen: at(3) },
      { type: 'Normal', reason: 'Pulled', message: 'other service', object: 'Pod/victor-coordinators-x', count: 1, lastSeen: at(2) },
    );
    const message = (await events.execute(actionContext(k8s), svc, noProgress)).message;
    expect(message.table!.columns.map((c) => c.header)).toEqual(['AGE', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(message.table!.rows).toEqual([
      ['3m ago', 'Normal', 'ScalingReplicaSet', 'Deployment/maestro-orchestrator', 'Scaled up'],
      ['60s ago', 'Warning', 'BackOff', 'Pod/maestro-orchestrator-abc-0 (x5)', 'Back-off restarting, token=[redacted]'],
    ]);
    expect(message.severity).toBe('warning');
  });
});

describe('kubernetesVerbs', () => {
  it('registers every action in help order, each changing one with a plan', () => {
    const registry = new ActionRegistry([...kubernetesVerbs]);
    expect(registry.names()).toEqual(['status', 'history', 'rollback', 'restart', 'scale', 'hpa', 'hpa set', 'delete-pod', 'flag', 'provider', 'logs', 'events', 'pods']);
  });
});
