import { clone, isObject, rfc3339 } from './json.js';
import { PODS } from './resources.js';
import { ApiError, badRequest } from './status.js';
import type { Store } from './store.js';
import type { Pod } from './types.js';

/**
 * Graceful pod deletion as the API server and kubelet do it: DELETE sets
 * deletionTimestamp and deletionGracePeriodSeconds and the pod stays, Terminating, until
 * its kubelet has stopped it; only then does it leave the store (a DELETED watch event).
 * The ReplicaSet controller stops counting a terminating pod at once, so its
 * replacement is created while the old one shuts down.
 */
export class Terminations {
  private readonly due = new Map<string, number>();
  private readonly noticed = new Set<string>();

  /** @param secondMs how long a second of grace lasts in the sandbox (its tick). */
  constructor(private readonly secondMs: number) {}

  /** A second DELETE may shorten the grace period, never lengthen it. */
  schedule(uid: string, graceSeconds: number, now = Date.now()): void {
    const at = now + graceSeconds * this.secondMs;
    const current = this.due.get(uid);
    if (current === undefined || at < current) this.due.set(uid, at);
  }

  /** True the first time the kubelet sees this pod terminating: when it says it is stopping the containers. */
  firstSight(uid: string): boolean {
    if (this.noticed.has(uid)) return false;
    this.noticed.add(uid);
    return true;
  }

  isDue(uid: string, now = Date.now()): boolean {
    const at = this.due.get(uid);
    return at === undefined || now >= at;
  }

  forget(uid: string): void {
    this.due.delete(uid);
    this.noticed.delete(uid);
  }
}

interface DeleteOptions {
  gracePeriodSeconds?: number;
  uid?: string;
  resourceVersion?: string;
}

function integer(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badRequest(`${where}: must be an integer, got ${JSON.stringify(value)}`);
  return n;
}

/** meta/v1 DeleteOptions from the body (kubectl sends one) or the query (client-node's gracePeriodSeconds). */
function deleteOptions(body: string, query: URLSearchParams): DeleteOptions {
  let parsed: unknown = {};
  if (body.trim() !== '') {
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw badRequest(`the object provided is unrecognized (${(error as Error).message})`);
    }
  }
  if (!isObject(parsed)) throw badRequest('DeleteOptions must be a JSON object');
  const pre = isObject(parsed.preconditions) ? parsed.preconditions : {};
  const grace = integer(parsed.gracePeriodSeconds, 'gracePeriodSeconds') ?? integer(query.get('gracePeriodSeconds'), 'gracePeriodSeconds');
  return {
    ...(grace === undefined ? {} : { gracePeriodSeconds: grace }),
    ...(typeof pre.uid === 'string' ? { uid: pre.uid } : {}),
    ...(typeof pre.resourceVersion === 'string' ? { resourceVersion: pre.resourceVersion } : {}),
  };
}

function preconditionFailed(name: string, what: string, wanted: string, actual: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on pods "${name}": Precondition failed: ${what} in precondition: ${wanted}, ${what} in object meta: ${actual}`,
    { name, kind: 'pods' },
  );
}

/** DELETE /api/v1/namespaces/{ns}/pods/{name}: the pod as it is after the request (terminating, or gone). */
export function deletePod(store: Store, terminations: Terminations, namespace: string, name: string, body: string, query: URLSearchParams): Pod {
  const pod = store.mustGet(PODS, namespace, name) as Pod;
  const options = deleteOptions(body, query);
  if (options.uid !== undefined && options.uid !== pod.metadata.uid) throw preconditionFailed(name, 'UID', options.uid, pod.metadata.uid);
  if (options.resourceVersion !== undefined && options.resourceVersion !== pod.metadata.resourceVersion) {
    throw preconditionFailed(name, 'ResourceVersion', options.resourceVersion, pod.metadata.resourceVersion);
  }
  let grace = options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  // The pod strategy turns a negative period into the shortest graceful one.
  if (grace < 0) grace = 1;
  // Nothing runs a pod that was never scheduled, and 0 is a forced deletion: gone at once.
  if (grace === 0 || !pod.spec.nodeName) {
    terminations.forget(pod.metadata.uid);
    return store.delete(PODS, namespace, name) as Pod;
  }
  const current = pod.metadata.deletionGracePeriodSeconds;
  if (typeof current === 'number' && grace >= current) return pod;
  const next = clone(pod);
  next.metadata.deletionTimestamp = rfc3339(new Date(Date.now() + grace * 1000));
  next.metadata.deletionGracePeriodSeconds = grace;
  terminations.schedule(pod.metadata.uid, grace);
  return store.update(PODS, next) as Pod;
}
