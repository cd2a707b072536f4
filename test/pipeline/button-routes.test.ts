import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/action.js';
import type { AuditSink } from '../../src/core/audit.js';
import type { Message } from '../../src/core/message.js';
import { Metrics } from '../../src/core/metrics.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { Incident } from '../../src/incidents/incident.js';
import { incidentCard } from '../../src/incidents/incident-card.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import type { IncidentLookups } from '../../src/incidents/incident-lookups.js';
import type { IncidentResponder } from '../../src/incidents/responder.js';
import { approvalMessage } from '../../src/pipeline/approval-card.js';
import { CommandHandler } from '../../src/pipeline/command.js';
import type { ConfirmationStore } from '../../src/pipeline/confirmations.js';
import { InteractionHandler } from '../../src/pipeline/interaction.js';
import { planMessage } from '../../src/pipeline/replies.js';
import { passMessage, regressionMessage } from '../../src/verification/messages.js';
import type { VerifyJobData } from '../../src/verification/verify-data.js';
import { ack, resolve } from '../../src/verbs/incident-response/incident-response.js';
import { policyCatalog } from '../policy/support.js';

const actor = { id: 'U0ADA', name: 'ada', platform: 'slack' as const };
const plan: Plan = { summary: 'roll back maestro-orchestrator', target: { service: 'maestro-orchestrator', env: 'prod' }, changes: [], data: {} };

const incident: Incident = {
  id: 'i1',
  number: 7,
  groupKey: 'g',
  alertname: 'HighErrorRate',
  service: 'maestro-orchestrator',
  env: 'prod',
  severity: 'P1',
  known: true,
  status: 'firing',
  firing: 1,
  resolved: 0,
  startsAt: '2026-01-01T00:00:00Z',
  commonLabels: {},
  commonAnnotations: {},
  externalURL: '',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  buttons: [
    { value: 'b1', kind: 'action', label: 'Roll back', style: 'danger', command: 'rollback {service} --env {env}' },
    { value: 'b2', kind: 'action', label: 'Restart', style: 'primary', command: 'restart {service} --env {env}' },
    { value: 'b3', kind: 'ack', label: 'Acknowledge', style: 'default' },
    { value: 'b4', kind: 'resolve', label: 'Resolve', style: 'default' },
  ],
  pagerduty: { dedupKey: 'd', state: 'none' },
  rev: 1,
};

const verify: VerifyJobData = {
  id: 'j1',
  service: 'maestro-orchestrator',
  env: 'prod',
  action: 'rollback',
  jobNumber: 3,
  actor,
  requestId: 'r1',
  startedAt: 0,
  windowMs: 60_000,
  intervalMs: 6_000,
  check: 1,
  nextCommand: 'scale maestro-orchestrator --replicas 6 --env prod',
};
const reading = { readings: [], verdict: 'critical' as const, problems: ['error rate 9%'] };

/** Every card the bot ships that carries buttons, in each state that shows them. */
function shippedCards(): Message[] {
  return [
    planMessage(plan, 'needs-confirmation', { confirmId: 'c1', actorName: 'ada' }),
    approvalMessage({ id: 'a1', plan, actor, approvers: ['sre'], expiresAt: Date.now() + 60_000, rule: 'prod-rollback' }, 'waiting'),
    passMessage(verify, { ...reading, verdict: 'ok', problems: [] }, undefined, 'sp1'),
    regressionMessage(verify, reading),
    incidentCard(incident, []),
  ];
}

function interactions(): InteractionHandler {
  const log = pino({ level: 'silent' });
  const audit: AuditSink = { record: async () => {} };
  const commands = new CommandHandler({
    registry: new ActionRegistry([ack, resolve]),
    catalog: policyCatalog(),
    audit,
    metrics: new Metrics({ defaultMetrics: false }),
    log,
    confirmations: {} as ConfirmationStore,
    jobs: { submit: async () => ({ jobNumber: 1, jobId: '1', created: true }) },
    ports: {},
  });
  // Nothing is pressed here: only whether each id reaches a route.
  return new InteractionHandler(commands, { incidents: { store: {} as IncidentStore, lookups: {} as IncidentLookups, responder: {} as IncidentResponder, log } });
}

describe('the button route table', () => {
  it('routes every button id the shipped cards can carry', () => {
    const ids = shippedCards().flatMap((card) => (card.actions ?? []).map((a) => a.id));
    expect(new Set(ids)).toEqual(
      new Set(['plan.confirm', 'plan.cancel', 'approval.approve', 'approval.reject', 'command.run', 'alert.action.0', 'alert.action.1', 'alert.ack', 'alert.resolve']),
    );
    const table = interactions();
    expect(ids.filter((id) => !table.handles(id))).toEqual([]);
  });

  it('routes nothing it does not mint', () => {
    const table = interactions();
    expect(table.handles('alert.rollback')).toBe(false);
    expect(table.handles('plan.confirmed')).toBe(false);
    expect(table.handles('alert.actions.0')).toBe(false);
  });
});
