import type { ServerResponse } from 'node:http';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { ApiRequest } from './server.js';
import { gone, statusBody } from './status.js';
import type { Store, StoreEvent } from './store.js';

/** Longest a watch stays open when the client does not say (the API server picks 30-60 min). */
const DEFAULT_TIMEOUT_S = 1800;

/**
 * `?watch=true`: a chunked stream of `{"type","object"}` lines, resuming after
 * the given resourceVersion (or starting with ADDED for everything when none),
 * as client-go's reflector and `kubectl rollout status` expect.
 */
export function serveWatch(store: Store, req: ApiRequest, res: ServerResponse): void {
  const labels = parseLabelSelector(req.query.get('labelSelector'));
  const fields = parseFieldSelector(req.query.get('fieldSelector'));
  const matches = (e: StoreEvent) =>
    e.resource === req.resource &&
    (!req.namespace || e.object.metadata.namespace === req.namespace) &&
    labels(e.object.metadata.labels) &&
    fields(e.object);
  const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  // Headers now, not with the first event: a watch on a quiet object must still be established.
  res.flushHeaders();
  const since = req.query.get('resourceVersion') ?? '';
  if (since === '' || since === '0') {
    for (const obj of store.list(req.resource, req.namespace)) {
      if (matches({ type: 'ADDED', resource: req.resource, object: obj, resourceVersion: 0 })) write('ADDED', obj);
    }
  } else {
    const missed = store.changesSince(Number(since));
    if (!missed) {
      write('ERROR', statusBody(gone(since)));
      res.end();
      return;
    }
    for (const e of missed) if (matches(e)) write(e.type, e.object);
  }

  const unsubscribe = store.subscribe((e) => {
    if (matches(e)) write(e.type, e.object);
  });
  const seconds = Number(req.query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
  const timer = setTimeout(() => res.end(), (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_S) * 1000);
  const stop = () => {
    clearTimeout(timer);
    unsubscribe();
  };
  res.on('close', stop);
  req.req.on('close', stop);
}
