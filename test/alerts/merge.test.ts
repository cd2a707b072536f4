import { describe, expect, it } from 'vitest';
import { mergeNotification, resolveTarget } from '../../src/alerts/incidents.js';
import { AlertmanagerPayloadSchema } from '../../src/alerts/payload.js';
import { notification } from '../fixtures/alertmanager/notifications.js';
import { catalog } from './harness.js';

const parse = (body: unknown) => AlertmanagerPayloadSchema.parse(body);
const at = new Date('2026-11-20T10:00:00Z');
let ids = 0;
const newId = () => `id${ids++}`;

describe('folding a notification into an incident', () => {
  it('takes the service and severity from the catalog alert', () => {
    const incident = mergeNotification(catalog, undefined, parse(notification('g', [{ alertname: 'MaestroPremiumRouterDown', fingerprint: 'f' }])), at, newId);
    expect(incident).toMatchObject({ service: 'maestro-premium-router', env: 'prod', severity: 'P1', status: 'firing' });
  });

  it('takes the env from the alert label when the service runs there', () => {
    const body = notification('g', [{ alertname: 'MaestroHighErrorRate', fingerprint: 'f', labels: { env: 'staging' } }]);
    expect(resolveTarget(catalog, parse(body))).toEqual({ service: 'maestro-orchestrator', env: 'staging' });
  });

  it('falls back to the default env when the labelled env is not one of the service', () => {
    const body = notification('g', [{ alertname: 'MaestroPremiumRouterDown', fingerprint: 'f', labels: { environment: 'staging' } }]);
    expect(resolveTarget(catalog, parse(body))).toEqual({ service: 'maestro-premium-router', env: 'prod' });
  });

  it('ignores a service label that names no catalog service', () => {
    const body = notification('g', [{ alertname: 'Odd', fingerprint: 'f', labels: { app: 'billing' } }]);
    expect(resolveTarget(catalog, parse(body))).toEqual({ env: 'prod' });
  });

  it('records no pending change for a repeat of what it already knows', () => {
    const body = parse(notification('g', [{ alertname: 'MaestroHighErrorRate', fingerprint: 'f' }]));
    const first = mergeNotification(catalog, undefined, body, at, newId);
    const again = mergeNotification(catalog, { ...first, renderedVersion: first.version }, body, at, newId);
    expect(again.pending).toEqual({ newFiring: [], resolved: false });
    expect(again.actionIds).toEqual(first.actionIds);
  });

  it('counts an alert that fires again after resolving as a new firing', () => {
    const firing = parse(notification('g', [{ alertname: 'MaestroHighErrorRate', fingerprint: 'f' }]));
    const resolved = parse(notification('g', [{ alertname: 'MaestroHighErrorRate', fingerprint: 'f', status: 'resolved' }]));
    const one = mergeNotification(catalog, undefined, firing, at, newId);
    const two = mergeNotification(catalog, { ...one, pending: { newFiring: [], resolved: false } }, resolved, at, newId);
    const three = mergeNotification(catalog, { ...two, pending: { newFiring: [], resolved: false } }, firing, at, newId);
    expect(three.pending.newFiring).toEqual(['f']);
  });
});
