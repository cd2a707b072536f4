import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAESTRO, PROD, startTestCluster, statusOf, type TestCluster } from './support.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

describe('sandbox errors are Kubernetes Status replies', () => {
  let c: TestCluster;
  const raw = (path: string, init: RequestInit = {}) => fetch(`${c.sandbox.url}${path}`, init);
  const deployPath = `/apis/apps/v1/namespaces/${PROD}/deployments/${MAESTRO}`;
  beforeEach(async () => {
    c = await startTestCluster();
  });
  afterEach(() => c.sandbox.close());

  it('answers 404 NotFound for a missing deployment', async () => {
    const status = await statusOf(c.apps.readNamespacedDeployment({ name: 'nope', namespace: PROD }));
    expect(status).toMatchObject({ code: 404, reason: 'NotFound', message: 'deployments.apps "nope" not found' });
  });

  it('answers 404 with a Status body for an unknown resource type', async () => {
    const res = await raw(`/apis/apps/v1/namespaces/${PROD}/statefulsets`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound' });
  });

  it('answers 400 BadRequest for a malformed JSON body', async () => {
    const res = await raw(deployPath, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"metadata": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('answers 415 for an unsupported patch content type', async () => {
    const res = await raw(deployPath, { method: 'PATCH', headers: { 'Content-Type': 'application/apply-patch+yaml' }, body: '{}' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType' });
  });

  it('answers 422 for a JSON patch on a path that does not exist', async () => {
    const status = await statusOf(
      c.apps.patchNamespacedDeployment({ name: MAESTRO, namespace: PROD, body: [{ op: 'replace', path: '/spec/nothing/here', value: 1 }] }, jsonPatch),
    );
    expect(status).toMatchObject({ code: 422, kind: 'Status' });
  });

  it('answers 422 Invalid for a patch that makes replicas negative', async () => {
    const status = await statusOf(c.apps.patchNamespacedDeployment({ name: MAESTRO, namespace: PROD, body: { spec: { replicas: -1 } } }, merge));
    expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(status.message).toContain('spec.replicas');
  });

  it('answers 422 for a patch that removes every container', async () => {
    const status = await statusOf(
      c.apps.patchNamespacedDeployment({ name: MAESTRO, namespace: PROD, body: [{ op: 'replace', path: '/spec/template/spec/containers', value: [] }] }, jsonPatch),
    );
    expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('answers 400 for a label selector it cannot parse', async () => {
    const status = await statusOf(c.core.listNamespacedPod({ namespace: PROD, labelSelector: 'app in (' }));
    expect(status).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('answers 405 for a method the resource does not take', async () => {
    const res = await raw(deployPath, { method: 'OPTIONS' });
    expect(res.status).toBe(405);
  });

  it('keeps serving after bad requests', async () => {
    await raw(deployPath, { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: '"not ops"' });
    await raw(deployPath, { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: '[1,2]' });
    const d = await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD });
    expect(d.metadata?.name).toBe(MAESTRO);
  });

  it('answers 403 Forbidden for a denied verb, resource and namespace', async () => {
    c.sandbox.deny({ verb: 'patch', resource: 'deployments', namespace: PROD });
    const status = await statusOf(c.apps.patchNamespacedDeployment({ name: MAESTRO, namespace: PROD, body: { spec: { replicas: 3 } } }, merge));
    expect(status).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(status.message).toContain('cannot patch resource "deployments" in API group "apps" in the namespace "intelgraph-prod"');
  });

  it('still allows the same verb in another namespace and other verbs', async () => {
    c.sandbox.deny({ verb: 'patch', resource: 'deployments', namespace: PROD });
    await c.apps.readNamespacedDeployment({ name: MAESTRO, namespace: PROD });
    await c.apps.patchNamespacedDeployment({ name: MAESTRO, namespace: 'intelgraph-staging', body: { spec: { replicas: 3 } } }, merge);
    c.sandbox.allowAll();
    await c.apps.patchNamespacedDeployment({ name: MAESTRO, namespace: PROD, body: { spec: { replicas: 3 } } }, merge);
  });

  it('answers 409 Conflict to the next N writes of an object after injectConflicts', async () => {
    c.sandbox.injectConflicts({ resource: 'deployments', namespace: PROD, name: MAESTRO, count: 2 });
    const patch = () => c.apps.patchNamespacedDeployment({ name: MAESTRO, namespace: PROD, body: { spec: { replicas: 3 } } }, merge);
    expect(await statusOf(patch())).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(await statusOf(patch())).toMatchObject({ code: 409, reason: 'Conflict' });
    const ok = await patch();
    expect(ok.spec?.replicas).toBe(3);
  });

  it('answers 409 AlreadyExists when creating an existing ConfigMap', async () => {
    const status = await statusOf(c.core.createNamespacedConfigMap({ namespace: PROD, body: { metadata: { name: 'maestro-config' }, data: {} } }));
    expect(status).toMatchObject({ code: 409, reason: 'AlreadyExists' });
  });
});
