import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Access } from './access.js';
import type { Api } from './api.js';
import { discovery } from './discovery.js';
import { findResource, type ResourceType } from './resources.js';
import { ApiError, badRequest, forbidden, methodNotAllowed, pathNotFound, statusBody, tooLarge } from './status.js';

const MAX_BODY = 3 * 1024 * 1024;
export const SANDBOX_USER = 'system:serviceaccount:maestro:maestro-bot';

/** One parsed request for a resource path. */
export interface ApiRequest {
  method: string;
  verb: string;
  resource: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  query: URLSearchParams;
  accept: string;
  contentType: string;
  body: string;
  req: IncomingMessage;
}

/** Routes beside the Kubernetes API (metrics, health, admin); true when it answered the request. */
export type ExtraRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export function createApiServer(api: Api, access: Access, log?: Logger, extra?: ExtraRoutes, metricsServer = true): Server {
  return createServer((req, res) => {
    const served = extra ? extra(req, res, new URL(req.url ?? '/', 'http://sandbox')) : Promise.resolve(false);
    served.then((done) => (done ? undefined : handle(req, res, api, access, metricsServer))).catch((error: unknown) => {
      if (!(error instanceof ApiError)) log?.error({ err: error, url: req.url }, 'sandbox request failed');
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${String(error)}`);
      if (res.headersSent) res.end();
      else sendJson(res, apiError.code, statusBody(apiError));
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, api: Api, access: Access, metricsServer: boolean): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/healthz' || path === '/livez' || path === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    return;
  }
  // Any bearer token is accepted, and none: kubectl sends no token to a plain-http server.
  const doc = method === 'GET' ? discovery(path, `${req.socket.localAddress}:${req.socket.localPort}`, metricsServer) : undefined;
  if (doc) return sendJson(res, 200, doc);
  const route = parsePath(path);
  if (!route) throw pathNotFound(path);
  const verb = verbOf(method, route, url.searchParams);
  const resourceName = route.sub ? `${route.resource.plural}/${route.sub}` : route.resource.plural;
  const asked = { verb, resource: resourceName, namespace: route.namespace, name: route.name };
  access.record(asked);
  if (access.isDenied(asked)) {
    throw forbidden(SANDBOX_USER, verb, route.resource, route.sub, route.namespace, route.name);
  }
  const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(req) : '';
  await api.handle(
    {
      ...route,
      method,
      verb,
      query: url.searchParams,
      accept: req.headers.accept ?? '',
      contentType: (req.headers['content-type'] ?? '').split(';')[0]!.trim(),
      body,
      req,
    },
    res,
  );
}

type Route = Pick<ApiRequest, 'resource' | 'namespace' | 'name' | 'sub'>;

/** `/api/v1/...` and `/apis/<group>/<version>/...`, namespaced or not. */
export function parsePath(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') [group, version, rest] = ['', parts[1] ?? '', parts.slice(2)];
  else if (parts[0] === 'apis') [group, version, rest] = [parts[1] ?? '', parts[2] ?? '', parts.slice(3)];
  else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const resource = findResource(group, version, rest[2]!);
    if (!resource?.namespaced || rest.length > 5) return undefined;
    return { resource, namespace: rest[1], name: rest[3], sub: rest[4] };
  }
  const resource = findResource(group, version, rest[0] ?? '');
  if (!resource || rest.length > 3) return undefined;
  if (resource.namespaced && rest.length > 1) return undefined;
  return { resource, name: rest[1], sub: rest[2] };
}

function verbOf(method: string, route: Route, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
      if (!route.name) return isWatch(query) ? 'watch' : 'list';
      return 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed(method);
  }
}

export function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(body: string): unknown {
  if (body.trim() === '') throw badRequest('the request body is empty');
  try {
    return JSON.parse(body);
  } catch (error) {
    throw badRequest(`the object provided is unrecognized (${(error as Error).message})`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}
