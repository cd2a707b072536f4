import type { ServerResponse } from 'node:http';
import type { Access } from './access.js';
import { applyDefaults, validate } from './defaults.js';
import { clone, isObject } from './json.js';
import type { LogSource } from './logs.js';
import { applyJsonPatch, applyMergePatch, PatchError } from './patch.js';
import { deletePod, type Terminations } from './pod-deletion.js';
import { hasMetrics, podMetrics } from './pod-usage.js';
import { apiVersionOf, NAMESPACES, POD_METRICS, PODS } from './resources.js';
import { parseFieldSelector, parseLabelSelector, selectorString } from './selectors.js';
import { type ApiRequest, parseJson, sendJson } from './server.js';
import { badRequest, conflict, methodNotAllowed, notFound, pathNotFound, unprocessable, unsupportedMediaType } from './status.js';
import type { Store } from './store.js';
import { applyStrategicMergePatch } from './strategic.js';
import { wantsTable, toTable } from './table.js';
import type { KObject, Pod } from './types.js';
import { serveWatch } from './watch.js';

/** The REST semantics of the resource paths: CRUD, patch, and the scale/status/log subresources. */
export class Api {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly logs: LogSource,
    private readonly terminations: Terminations,
    /** Whether metrics.k8s.io is served, as when metrics-server is installed. */
    private readonly metricsServer = true,
  ) {}

  async handle(req: ApiRequest, res: ServerResponse): Promise<void> {
    const { resource: r, sub } = req;
    if (sub && !r.subresources.includes(sub)) throw pathNotFound(`${r.plural}/${sub}`);
    if (sub === 'log') {
      if (req.method !== 'GET') throw methodNotAllowed(req.method);
      const pod = this.store.mustGet(PODS, req.namespace, req.name!) as Pod;
      // Read before the head goes out: a refusal (no previous run, a bad tailLines) is a Status, not an empty 200.
      const text = this.logs.read(pod, req.query);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(text);
      return;
    }
    if (sub === 'scale') return this.scale(req, res);
    if (r === POD_METRICS) return this.metrics(req, res);
    switch (req.verb) {
      case 'list':
        return sendJson(res, 200, this.list(req));
      case 'watch':
        return serveWatch(this.store, req, res);
      case 'get': {
        const obj = this.store.mustGet(r, req.namespace, req.name!);
        return sendJson(res, 200, wantsTable(req.accept) ? toTable(r, [obj], this.store.resourceVersion) : obj);
      }
      case 'create':
        return sendJson(res, 201, this.create(req));
      case 'update':
        return sendJson(res, 200, this.write(req, this.bodyObject(req)));
      case 'patch':
        return sendJson(res, 200, this.write(req, this.patched(req, this.store.mustGet(r, req.namespace, req.name!))));
      case 'delete':
        if (r === PODS) return sendJson(res, 200, deletePod(this.store, this.terminations, req.namespace!, req.name!, req.body, req.query));
        return sendJson(res, 200, this.store.delete(r, req.namespace, req.name!));
      default:
        throw methodNotAllowed(req.method);
    }
  }

  /** metrics.k8s.io/v1beta1 pods: computed from the running pods on each read, as metrics-server answers. */
  private metrics(req: ApiRequest, res: ServerResponse): void {
    if (!this.metricsServer) throw pathNotFound(req.req.url ?? 'metrics.k8s.io');
    if (req.verb !== 'get' && req.verb !== 'list') throw methodNotAllowed(req.method);
    const labels = parseLabelSelector(req.query.get('labelSelector'));
    const pods = (this.store.list(PODS, req.namespace) as Pod[]).filter((p) => hasMetrics(p) && labels(p.metadata.labels));
    if (req.verb === 'get') {
      const pod = pods.find((p) => p.metadata.name === req.name);
      if (!pod) throw notFound(POD_METRICS, req.name!);
      sendJson(res, 200, podMetrics(pod));
      return;
    }
    sendJson(res, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: pods.map((p) => podMetrics(p)) });
  }

  private list(req: ApiRequest): unknown {
    const labels = parseLabelSelector(req.query.get('labelSelector'));
    const fields = parseFieldSelector(req.query.get('fieldSelector'));
    const items = this.store.list(req.resource, req.namespace).filter((o) => labels(o.metadata.labels) && fields(o));
    if (wantsTable(req.accept)) return toTable(req.resource, items, this.store.resourceVersion);
    return { kind: `${req.resource.kind}List`, apiVersion: apiVersionOf(req.resource), metadata: { resourceVersion: this.store.resourceVersion }, items };
  }

  private create(req: ApiRequest): KObject {
    const r = req.resource;
    const obj = this.bodyObject(req);
    if (r.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== req.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = req.namespace;
      if (!this.store.get(NAMESPACES, undefined, req.namespace!)) throw notFound(NAMESPACES, req.namespace!);
    }
    if (!obj.metadata.name && typeof obj.metadata.generateName === 'string') {
      obj.metadata.name = `${obj.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    delete (obj.metadata as Partial<KObject['metadata']>).resourceVersion;
    applyDefaults(r, obj);
    validate(r, obj);
    return this.store.create(r, obj);
  }

  /** update and patch end here: keep what the request may not change, then validate and store. */
  private write(req: ApiRequest, next: KObject): KObject {
    const r = req.resource;
    const current = this.store.mustGet(r, req.namespace, req.name!);
    if (next.metadata.name !== req.name) {
      throw badRequest(`the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${req.name})`);
    }
    if (r.namespaced && next.metadata.namespace && next.metadata.namespace !== req.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    next.metadata.namespace = current.metadata.namespace;
    if (req.sub === 'status') {
      const kept = clone(current);
      kept.status = next.status;
      kept.metadata.resourceVersion = next.metadata.resourceVersion;
      next = kept;
    } else if ('status' in current) {
      next.status = current.status;
    }
    if (this.access.takeConflict(r.plural, req.namespace, req.name!)) throw conflict(r, req.name!);
    applyDefaults(r, next);
    validate(r, next);
    return this.store.update(r, next);
  }

  private bodyObject(req: ApiRequest): KObject {
    const body = parseJson(req.body);
    if (!isObject(body) || !isObject(body.metadata)) throw badRequest('the object provided is unrecognized: metadata is required');
    if (body.kind !== undefined && body.kind !== req.resource.kind) {
      throw badRequest(`the kind of the object (${String(body.kind)}) does not match the resource (${req.resource.kind})`);
    }
    return body as KObject;
  }

  private patched(req: ApiRequest, current: unknown): KObject {
    const patch = parseJson(req.body);
    let result: unknown;
    try {
      switch (req.contentType) {
        case 'application/strategic-merge-patch+json':
          result = applyStrategicMergePatch(current, patch);
          break;
        case 'application/merge-patch+json':
          if (!isObject(patch)) throw new PatchError('a merge patch must be a JSON object');
          result = applyMergePatch(current, patch);
          break;
        case 'application/json-patch+json':
          result = applyJsonPatch(current, patch);
          break;
        default:
          throw unsupportedMediaType(req.contentType);
      }
    } catch (error) {
      if (error instanceof PatchError) throw unprocessable(`the server rejected our request due to an error in our request: ${error.message}`);
      throw error;
    }
    if (!isObject(result) || !isObject(result.metadata)) throw unprocessable('the patch removed the object metadata');
    return result as KObject;
  }

  private async scale(req: ApiRequest, res: ServerResponse): Promise<void> {
    const r = req.resource;
    const current = this.store.mustGet(r, req.namespace, req.name!);
    if (req.verb === 'get') return sendJson(res, 200, scaleOf(current));
    if (req.verb !== 'update' && req.verb !== 'patch') throw methodNotAllowed(req.method);
    const scale = req.verb === 'update' ? this.scaleBody(req) : this.patched(req, scaleOf(current));
    const spec = isObject(scale.spec) ? scale.spec : {};
    const replicas = spec.replicas ?? 0;
    if (!Number.isInteger(replicas) || (replicas as number) < 0) {
      throw unprocessable(`Scale.autoscaling "${req.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
    }
    const next = clone(current);
    next.spec = { ...(next.spec as object), replicas };
    next.metadata.resourceVersion = scale.metadata.resourceVersion ?? '';
    const stored = this.write({ ...req, sub: undefined }, next);
    sendJson(res, 200, scaleOf(stored));
  }

  private scaleBody(req: ApiRequest): KObject {
    const body = parseJson(req.body);
    if (!isObject(body) || !isObject(body.metadata)) throw badRequest('the object provided is unrecognized: metadata is required');
    return body as KObject;
  }
}

function scaleOf(obj: KObject): KObject {
  const spec = obj.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = obj.status as { replicas?: number } | undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status?.replicas ?? 0, selector: selectorString(spec.selector ?? {}) },
  };
}

